import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { BIN, runCli } from "../support/cli.js";

const BANK = fileURLToPath(new URL("./fixtures/bank.yaml", import.meta.url));

/** Starts `meta-agent sim-llm` and resolves with its base URL once it prints it. */
function startSimLlm(args: string[]) {
  const child = spawn(process.execPath, [BIN, "sim-llm", ...args], { env: { ...process.env, LOG_LEVEL: "warn" } });
  let out = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`sim-llm exited with ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, ready, exited };
}

describe("meta-agent sim-llm", () => {
  it("serves the bank on the given port until SIGTERM", async () => {
    const sim = startSimLlm(["--port", "0", "--bank", BANK]);
    try {
      const baseURL = await sim.ready;
      expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const client = new OpenAI({ baseURL, apiKey: "sim", maxRetries: 0 });
      const guided = await client.chat.completions.create({
        model: "sim-chat",
        response_format: { type: "json_object" },
        messages: [
          { role: "system", content: "Check disk usage before restarting." },
          { role: "user", content: "disk full on node-9" },
        ],
      });
      expect(JSON.parse(guided.choices[0]!.message.content!)).toEqual({ rootCause: "disk_full", action: "rotate logs" });
      const embeddings = await client.embeddings.create({ model: "sim-embed", input: ["hello"] });
      expect(embeddings.data[0]!.embedding).toHaveLength(384);
    } finally {
      sim.child.kill("SIGTERM");
    }
    expect(await sim.exited).toBe(0);
  });

  it("refuses an invalid bank file with a message naming the field", async () => {
    const { makeTempDir } = await import("../support/temp-dir.js");
    const { writeFileSync } = await import("node:fs");
    const tmp = makeTempDir();
    try {
      const file = `${tmp.dir}/bad.yaml`;
      writeFileSync(file, "families:\n  - id: x\n    match: { keywords: [a] }\n    answer: {}\n    baseAccuracy: 2\n");
      const res = await runCli(["sim-llm", "--port", "0", "--bank", file]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/families\[0\]\.answer/);
      expect(res.stderr).toMatch(/families\[0\]\.baseAccuracy/);
    } finally {
      tmp.remove();
    }
  });
});
