// The learning commands as a user runs them: two processes racing for a cycle, `learn`,
// `status --json`, `guidelines`, `report --csv`.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { readFileSync } from "node:fs";
import path from "node:path";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

const CHILD = fileURLToPath(new URL("../support/claim-child.mjs", import.meta.url));

function runChild(env: Record<string, string>): Promise<{ claimed: boolean; reason: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe("learning from the command line", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir, LOG_LEVEL: "warn", MIN_TRACES_FOR_ANALYSIS: "5" };
  let serve: ServeProcess;
  let client: pg.Client;

  beforeAll(async () => {
    // Run where there is no prompts/ directory, so the signatures are those the traces name.
    serve = await startServe(env, { cwd: tmp.dir });
    const lock = JSON.parse(readFileSync(path.join(tmp.dir, "embedded-db.lock"), "utf8"));
    client = new pg.Client({ connectionString: lock.databaseUrl });
    await client.connect();
    await client.query(`INSERT INTO tenants (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING`);
    for (let i = 0; i < 4; i++) {
      await client.query(
        `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, success, score, started_at, duration_ms, prompt_tokens, completion_tokens, content_hash)
         VALUES ('default', $1, 'diagnosis', 'diagnosis', '1.0.0', $2, NULL, now(), $3, 300, 100, 'h')`,
        [`t${i}`, i % 2 === 0, 100 + i * 10],
      );
    }
  });
  afterAll(async () => {
    await client.end();
    await serve.stop();
    tmp.remove();
  });

  it("lets exactly one of two processes racing for a cycle run", async () => {
    const startAt = String(Date.now() + 2_500);
    const results = await Promise.all([runChild({ ...env, START_AT: startAt }), runChild({ ...env, START_AT: startAt })]);
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(results.find((r) => !r.claimed)!.reason).toMatch(/another learning cycle is running/);
  });

  it("`learn` with too few traces does nothing and says why", async () => {
    const res = await runCli(["learn"], env, { cwd: tmp.dir });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/idle: nothing to learn: no signature has min_traces_for_analysis \(5\) new traces \(diagnosis: 4\)/);
  });

  it("`status --json` reports cycles, readiness and signatures", async () => {
    const res = await runCli(["status", "--json"], env, { cwd: tmp.dir });
    expect(res.code).toBe(0);
    const status = JSON.parse(res.stdout);
    expect(status).toMatchObject({ tenant: "default", learning_cycles: 1, ready_for_learning: false, total_patterns_learned: 0, signatures: [{ name: "diagnosis", new_traces: 4, ready: false, active_version: null }] });
    expect(typeof status.last_learning_time).toBe("string");
  });

  it("`report --csv` prints seed 000's benchmark log per signature version", async () => {
    const res = await runCli(["report", "--csv"], env, { cwd: tmp.dir });
    expect(res.code).toBe(0);
    const [header, line, end] = res.stdout.split("\n");
    expect(header).toBe("signature,version,runs,success_rate,quality,avg_tokens,total_tokens,avg_latency_ms,p95_latency_ms,token_roi,priced_runs,total_cost_usd,avg_cost_usd,quality_per_usd");
    // 4 runs, half successful, 400 tokens each → ROI = 0.5 / 0.4 = 1.25 quality per 1,000 tokens.
    // No price configured: no run is priced and the cost cells are empty, not 0.
    expect(line).toBe("diagnosis,1.0.0,4,0.5,0.5,400,1600,115,128.5,1.25,0,,,");
    expect(end).toBe("");
  });

  it("`guidelines` explains when nothing was recorded", async () => {
    const res = await runCli(["guidelines", "diagnosis"], env, { cwd: tmp.dir });
    expect(res.stdout.trim()).toBe("No guideline changes recorded for diagnosis.");
  });
});
