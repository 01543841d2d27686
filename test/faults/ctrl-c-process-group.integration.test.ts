// Fault: Ctrl-C in the terminal running `meta-agent serve`. The terminal sends SIGINT to the whole
// process group. The service must still store the traces of the runs it has just answered
// (queued by the recorder, not yet written) before it exits 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { loadConfig } from "../../src/config/index.js";
import { openDatabase } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { buildCompiledVersion, initPromptsRepo, signatureField } from "../support/compiled-versions.js";
import { startServe } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("Ctrl-C (SIGINT to the process group) of the service", () => {
  let sim: Simulator;
  const tmp = makeTempDir();
  let versionsDir: string;

  beforeAll(async () => {
    sim = await startSimulator({ bank: { families: [{ id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, baseAccuracy: 1 }] } });
    const repo = await initPromptsRepo(`${tmp.dir}/repo`);
    await repo.commitVersion(buildCompiledVersion({ name: "triage", version: "1.0.0", inputs: [signatureField("ticketText", "the support ticket")], outputs: [signatureField("queue", "the queue")], instructions: "Route the ticket." }));
    versionsDir = repo.versionsDir;
  });
  afterAll(async () => {
    await sim?.close();
    tmp.remove();
  });

  it("stores the traces of the runs it answered just before, and exits 0", async () => {
    const dataDir = `${tmp.dir}/data`;
    const serve = await startServe({ META_AGENT_DATA_DIR: dataDir, META_AGENT_VERSIONS_DIR: versionsDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LOG_LEVEL: "warn" }, { cwd: tmp.dir, processGroup: true });
    const traceIds: string[] = [];
    let exit: { code: number | null };
    try {
      const runs = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const res = await fetch(`${serve.url}/v1/signatures/triage/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inputs: { ticketText: `refund please #${i}` } }) });
          expect(res.status).toBe(200);
          return ((await res.json()) as { traceId: string }).traceId;
        }),
      );
      traceIds.push(...runs);
    } finally {
      // At once: the recorder batches for 100 ms, so these traces are still queued in the service.
      exit = await serve.stop("SIGINT");
    }
    expect(exit.code, serve.stderr()).toBe(0);
    expect(serve.stderr()).not.toMatch(/trace-dropped|could not write traces/);

    const config = loadConfig({ env: { META_AGENT_DATA_DIR: dataDir }, cwd: tmp.dir });
    const db = await openDatabase(config, silentLogger);
    try {
      const stored = await db.pool.query<{ id: string }>("SELECT id FROM traces WHERE id = ANY($1::text[])", [traceIds]);
      expect(stored.rows.map((r) => r.id).sort()).toEqual([...traceIds].sort());
    } finally {
      await db.close();
    }
  });
});
