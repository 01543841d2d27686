// Tenant isolation on the endpoints the main isolation test does not reach: import, OTLP, the
// analyzer trigger, signature runs and tasks against the model simulator, the library, and the
// version diff and rollback routes.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { makeChatRecord } from "../support/chat-log-builder.js";
import { makeTempDir } from "../support/temp-dir.js";

const SHIPPED_PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

const otlpBody = (agent: string) => ({
  resourceSpans: [
    {
      resource: { attributes: [] },
      scopeSpans: [
        {
          scope: { name: "isolation-test" },
          spans: [
            {
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b7ad6b7169203331",
              name: `invoke_agent ${agent}`,
              kind: 1,
              startTimeUnixNano: "1763800000000000000",
              endTimeUnixNano: "1763800001000000000",
              attributes: [
                { key: "gen_ai.operation.name", value: { stringValue: "invoke_agent" } },
                { key: "gen_ai.agent.name", value: { stringValue: agent } },
              ],
              status: {},
            },
          ],
        },
      ],
    },
  ],
});

describe("tenant isolation on every other endpoint", () => {
  const tmp = makeTempDir();
  let service: Service;
  let sim: Simulator;
  let keyA: string;
  let keyB: string;
  const call = (method: string, p: string, key: string, body?: unknown, contentType = "application/json") =>
    fetch(`${service.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": contentType }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  const traceIds = async (key: string, query = "") => ((await (await call("GET", `/v1/traces${query}`, key)).json()) as { traces: { id: string }[] }).traces.map((t) => t.id);

  beforeAll(async () => {
    sim = await startSimulator({ bank: { families: [{ id: "crash", match: { keywords: ["crash"] }, answer: { faultDetected: true, faultType: "resource_exhaustion", rootCause: "out of memory", nextTools: ["get_logs"] }, baseAccuracy: 1 }] } });
    const config = loadConfig({
      env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", META_AGENT_PROMPTS_DIR: SHIPPED_PROMPTS, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LEARNING_INTERVAL: "86400", META_AGENT_METRICS_TOKEN: "isolation-test-metrics-token" },
      cwd: tmp.dir,
    });
    service = await startService(config, silentLogger);
    keyA = (await createApiKey(service.db, { tenant: "acme" })).key;
    keyB = (await createApiKey(service.db, { tenant: "globex" })).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the key check caches for 1 s
    const docs = path.join(tmp.dir, "docs");
    mkdirSync(docs);
    writeFileSync(path.join(docs, "runbook.md"), "# Acme runbook\n\nThe acme payment gateway restarts nightly at 03:00 to rotate its certificates.\n");
    await indexLibrary({ db: service.db, embedder: createEmbedder(config) }, { tenant: "acme", dir: docs, baseDir: tmp.dir });
  });
  afterAll(async () => {
    await service?.close();
    await sim?.close();
    tmp.remove();
  });

  it("keeps imported chat logs with the importing tenant", async () => {
    const res = await call("POST", "/v1/import?agent=imported", keyA, JSON.stringify(makeChatRecord(1)) + "\n", "application/x-ndjson");
    expect(res.status).toBe(200);
    expect((await traceIds(keyA, "?agent=imported")).length).toBe(1);
    expect(await traceIds(keyB, "?agent=imported")).toEqual([]);
  });

  it("keeps OTLP spans with the exporting tenant", async () => {
    expect((await call("POST", "/otlp/v1/traces", keyA, otlpBody("otlp-agent"))).status).toBe(200);
    expect((await traceIds(keyA, "?agent=otlp-agent")).length).toBe(1);
    expect(await traceIds(keyB, "?agent=otlp-agent")).toEqual([]);
    // OTLP and import ingestion are counted like POST /v1/traces.
    const metrics = await (await fetch(`${service.url}/metrics`, { headers: { authorization: "Bearer isolation-test-metrics-token" } })).text();
    expect(metrics).toMatch(/meta_agent_traces_ingested_total\{tenant="acme",source="otlp"\} 1/);
    expect(metrics).toMatch(/meta_agent_traces_ingested_total\{tenant="acme",source="import"\} 1/);
  });

  it("records a signature run under the caller's tenant only", async () => {
    const res = await call("POST", "/v1/signatures/diagnosis/run", keyA, { inputs: { problemDescription: "pods crash in a loop" } });
    const body = (await res.json()) as { traceId: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    for (let i = 0; i < 50 && (await call("GET", `/v1/traces/${body.traceId}`, keyA)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await call("GET", `/v1/traces/${body.traceId}`, keyA)).status).toBe(200);
    expect((await call("GET", `/v1/traces/${body.traceId}`, keyB)).status).toBe(404);
  });

  it("analyzes only the caller's traces", async () => {
    const a = await call("POST", "/v1/analyze", keyA, { agent: "imported" });
    const b = await call("POST", "/v1/analyze", keyB, { agent: "imported" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(JSON.stringify(await a.json())).toMatch(/"tracesRead":1\b|"totalTraces":1\b/);
    expect(JSON.stringify(await b.json())).not.toMatch(/"tracesRead":1\b|"totalTraces":1\b/);
  });

  it("searches only the caller's library", async () => {
    const a = (await (await call("GET", "/v1/library/search?q=payment%20gateway%20certificates", keyA)).json()) as { passages: unknown[] };
    const b = (await (await call("GET", "/v1/library/search?q=payment%20gateway%20certificates", keyB)).json()) as { passages: unknown[] };
    expect(JSON.stringify(a.passages)).toContain("runbook.md");
    expect(b.passages).toEqual([]);
  });

  it("never diffs or rolls back another tenant's versions", async () => {
    await service.db.pool.query(
      `INSERT INTO prompt_versions (id, tenant_id, name, version, content_hash, content, status) VALUES ('iso-1', 'acme', 'triage', '1.0.0', 'h1', 'name: triage', 'active'), ('iso-2', 'acme', 'triage', '1.0.1', 'h2', 'name: triage2', 'active')`,
    );
    expect(await (await call("GET", "/v1/versions", keyA)).json()).toEqual({ signatures: ["triage"], versions: [{ name: "triage", active: "1.0.1", proposed: [] }], canaries: [] });
    expect(await (await call("GET", "/v1/versions", keyB)).json()).toEqual({ signatures: [], versions: [], canaries: [] });
    expect((await call("GET", "/v1/versions/triage/diff?from=1.0.0&to=1.0.1", keyA)).status).toBe(200);
    expect((await call("GET", "/v1/versions/triage/diff?from=1.0.0&to=1.0.1", keyB)).status).toBe(404);
    const rollback = await call("POST", "/v1/versions/triage/rollback", keyB, { to: "1.0.0" });
    expect(rollback.status).toBe(404);
    const { rows } = await service.db.pool.query(`SELECT count(*)::int AS n FROM prompt_versions WHERE name = 'triage'`);
    expect(rows[0].n).toBe(2);
  });
});
