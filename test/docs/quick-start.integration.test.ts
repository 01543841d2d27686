// The README's quick start, run as written: the playground (`npm start -- --simulate`, here the
// built `meta-agent serve --simulate` that npm start runs), every `npx meta-agent …` line of the
// tour in order (here the built CLI), and the example trace of "Send a trace" — in a fresh
// directory, so the fresh data dir of a new clone. A version must get promoted on the live service.
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The bodies of the ```bash blocks of the README section that starts with `heading`. */
function bashBlocks(heading: string): string[] {
  const start = README.indexOf(`\n## ${heading}`);
  expect(start, heading).toBeGreaterThan(0);
  const end = README.indexOf("\n## ", start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("the README's quick start", () => {
  const tmp = makeTempDir("meta-agent-quick-start-");
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
    tmp.remove();
  });

  it("runs as written: the playground promotes a version on the live service", async () => {
    const blocks = bashBlocks("The playground: watch it learn on a live service");
    expect(blocks[0]!.trim()).toBe("npm start -- --simulate");
    expect(JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).scripts.start).toBe("node bin/meta-agent.js serve");
    serve = await startServe({ LEARNING_INTERVAL: "86400" }, { cwd: tmp.dir, args: ["--simulate"], timeoutMs: 60_000 });
    expect(serve.stdout()).toContain("Playground: agents in");

    const commands = blocks
      .slice(1)
      .flatMap((b) => b.split("\n"))
      .map((l) => l.replace(/\s+#.*$/, "").trim())
      .filter((l) => l.startsWith("npx meta-agent "));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const outputs: Record<string, string> = {};
    for (const command of commands) {
      const r = await runCli(command.slice("npx meta-agent ".length).split(/\s+/), {}, { cwd: tmp.dir });
      expect(r.code, `${command}\n${r.stdout}\n${r.stderr}`).toBe(0);
      // Traffic goes over HTTP and names the service on stdout; the others read its database.
      if (command.includes("playground traffic")) expect(r.stdout, command).toContain(`to ${serve.url}`);
      else expect(r.stderr, command).toContain(`Using the database of the meta-agent service running at ${serve.url}`);
      outputs[command] = (outputs[command] ?? "") + r.stdout;
    }
    expect(outputs["npx meta-agent playground traffic --count 60"]).toMatch(/diagnosis 1\.0\.0: \d+\/60 diagnosed correctly/);
    expect(outputs["npx meta-agent learn"]).toMatch(/promoted 1\.0\.1 \(score [\d.]+ → [\d.]+\)/);
    expect(outputs["npx meta-agent history diagnosis"]).toMatch(/^\* 1\.0\.1\s+active/m);
    expect(outputs["npx meta-agent diff diagnosis"]).toContain("+demos:");
    expect(outputs["npx meta-agent playground traffic --count 30"]).toMatch(/diagnosis 1\.0\.1: \d+\/30 diagnosed correctly/);
    expect(outputs["npx meta-agent report"]).toMatch(/diagnosis\s+1\.0\.1/);
  }, 300_000); // ten CLI processes and 90 runs on the live service

  it("accepts the example trace of \"Send a trace\" as written, without startedAt", async () => {
    const [curl] = bashBlocks("Send a trace");
    expect(curl).toContain("curl -s http://127.0.0.1:8080/v1/traces");
    const body = /-d '([\s\S]*?)'/.exec(curl!)![1]!;
    const res = await fetch(`${serve!.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, results: [{ status: "created", startedAtDefaulted: true }] });
  });
});
