import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { writePdf } from "../support/pdf.js";

// The built CLI (npm run build) against a real embedded database in a temp working directory.
describe("librarian command line and HTTP search", () => {
  const tmp = makeTempDir();
  const cwd = tmp.dir;
  const env = { META_AGENT_DATA_DIR: path.join(cwd, ".meta-agent"), LOG_LEVEL: "warn" };
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    mkdirSync(path.join(cwd, "data"));
    writeFileSync(path.join(cwd, "data", "deploy.md"), "# Rollbacks\n\nTo roll back a bad deploy, run `kubectl rollout undo deployment/checkout`.\n");
    await writePdf(path.join(cwd, "data", "costs.pdf"), [["Cover page."], ["The vLLM GPU cluster costs 41000 dollars per month."]]);
  });
  afterAll(async () => {
    await serve?.stop();
    tmp.remove();
  });

  it("indexes data/ by default and skips unchanged files on the second run", async () => {
    const first = await runCli(["librarian", "index", "--json"], env, { cwd });
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.indexed.map((d: { path: string }) => d.path)).toEqual(["data/costs.pdf", "data/deploy.md"]);
    const second = await runCli(["librarian", "index"], env, { cwd });
    expect(second.stdout).toMatch(/0 indexed, 2 unchanged, 0 removed, 0 failed/);
  });

  it("prints passages with citations for `librarian search`", async () => {
    const r = await runCli(["librarian", "search", "how do I roll back a deploy", "-k", "1"], env, { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[1\] data\/deploy\.md, chunk 0 {2}\(score 0\.\d{3}\)/);
    expect(r.stdout).toContain("kubectl rollout undo");
  });

  it("answers GET /v1/library/search with cited passages and rejects a missing query", async () => {
    serve = await startServe(env, { cwd });
    const res = await fetch(`${serve.url}/v1/library/search?q=${encodeURIComponent("GPU cluster cost per month")}&k=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { passages: unknown[] };
    expect(body.passages[0]).toMatchObject({ rank: 1, path: "data/costs.pdf", page: 2, citation: "data/costs.pdf, page 2, chunk 1" });
    const bad = await fetch(`${serve.url}/v1/library/search?k=500`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/q: is required.*k: must be at most 50/);
  });
});
