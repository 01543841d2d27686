// Our configuration's errors are not the agent's failures: with no model configured, running a
// signature or a task answers 503 llm_config naming the setting to add, and nothing is stored
// that a learning cycle or a report would count as a run of the agent.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { openDatabase } from "../../src/db/database.js";
import type { Config } from "../../src/config/index.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("a service without a model", () => {
  const tmp = makeTempDir();
  let service: Service;
  let config: Config;
  beforeAll(async () => {
    config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400" } });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${service.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  };

  it("answers 503 llm_config with the fix when a signature is run, and stores no trace", async () => {
    const res = await post("/v1/signatures/diagnosis/run", { inputs: { problemDescription: "checkout returns 502" } });
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe("llm_config");
    expect(res.body.error?.message).toContain("LLM_BASE_URL");
    expect(res.body.error?.message).toContain("--simulate");
    expect(JSON.stringify(res.body)).not.toMatch(/ at .*\.(ts|js):\d+/);
  });

  it("answers 503 llm_config for a hierarchical task, and stores neither the task nor traces", async () => {
    const res = await post("/v1/tasks", { task_description: "Summarize the quarterly report" });
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe("llm_config");
  });

  it("stored no trace, no task and nothing new to learn from, once every queued trace is written", async () => {
    // A positive control: a trace the agent really sent is stored and counted.
    const ingest = await post("/v1/traces", { traces: [{ id: "real-run", agent: "diagnosis", signature: "diagnosis", input: { problemDescription: "x" }, outcome: { success: true } }] });
    expect(ingest.status).toBe(200);
    const status = (await (await fetch(`${service.url}/v1/learning/status`)).json()) as { signatures: Array<{ name: string; new_traces: number }> };
    expect(status.signatures.find((s) => s.name === "diagnosis")?.new_traces).toBe(1);
    await service.close(); // flushes the trace recorder's queue
    const db = await openDatabase(config, silentLogger);
    try {
      const count = async (table: string) => (await db.forTenant("default").pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      expect(await count("traces")).toBe(1);
      expect(await count("tasks")).toBe(0);
    } finally {
      await db.close();
    }
  });
});
