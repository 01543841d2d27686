import { fileURLToPath } from "node:url";
// Tenant isolation through the real service: keys, 401s, and every tenant-scoped endpoint
// answering only with the caller's own data.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { revokeApiKey } from "../../src/tenancy/revoke-api-key.js";
import { listApiKeys } from "../../src/tenancy/list-api-keys.js";
import { hashApiKey } from "../../src/tenancy/api-key.js";
import { makeTempDir } from "../support/temp-dir.js";

// Response bodies are checked field by field below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();
import { insertTraces, traces } from "../support/learning-fixtures.js";

// The shipped signatures (status lists one entry per signature).
const SHIPPED_PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const METRICS_TOKEN = "isolation-test-metrics-token";

describe("tenants and API keys over HTTP", () => {
  const tmp = makeTempDir();
  let service: Service;
  let keyA: string;
  let keyB: string;
  let cycleA: string;

  const get = (path: string, key?: string) => fetch(`${service.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const post = (path: string, body: unknown, key?: string) =>
    fetch(`${service.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", HOST: "127.0.0.1", MIN_TRACES_FOR_ANALYSIS: "5", META_AGENT_PROMPTS_DIR: SHIPPED_PROMPTS, META_AGENT_METRICS_TOKEN: METRICS_TOKEN }, cwd: tmp.dir });
    service = await startService(config, silentLogger);
    keyA = (await createApiKey(service.db, { tenant: "acme" })).key;
    keyB = (await createApiKey(service.db, { tenant: "globex" })).key;
    await insertTraces(service.db, traces(2, { tenant: "acme", agent: "diagnosis", signature: "diagnosis", success: true }));
    await service.db.pool.query(
      `INSERT INTO guideline_events (id, tenant_id, signature, version, action, guideline) VALUES ('g1', 'acme', 'diagnosis', '1.0.1', 'added', 'Call get_pods before get_logs')`,
    );
    await service.db.pool.query(
      `INSERT INTO prompt_versions (id, tenant_id, name, version, content_hash, content, status, score, summary) VALUES ('pv1', 'acme', 'diagnosis', '1.0.1', 'h', 'x', 'active', 0.8, '{"text":"guideline added"}')`,
    );
    // Give the key check's cache (1 s) no chance to hide the new keys.
    await new Promise((r) => setTimeout(r, 1_100));
  });
  afterAll(async () => {
    await service.close();
    tmp.remove();
  });

  it("stores only a hash and a visible prefix of each key", async () => {
    const keys = await listApiKeys(service.db);
    expect(keys.map((k) => k.tenant).sort()).toEqual(["acme", "globex"]);
    const { rows } = await service.db.pool.query<{ key_hash: string; prefix: string }>(`SELECT key_hash, prefix FROM api_keys`);
    expect(rows.map((r) => r.key_hash)).toContain(hashApiKey(keyA));
    expect(JSON.stringify(rows)).not.toContain(keyA);
    expect(rows.map((r) => r.prefix)).toContain(keyA.slice(0, 12));
  });

  it("refuses /v1 requests without a key, with a malformed header or with an unknown key", async () => {
    for (const res of [await get("/v1/learning/status"), await get("/v1/learning/status", "mak_" + "x".repeat(43)), await fetch(`${service.url}/v1/learning/cycles`, { headers: { authorization: `Basic ${keyA}` } })]) {
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe("unauthorized");
    }
    expect((await post("/v1/learning/cycles", {})).status).toBe(401);
    expect((await post("/otlp/v1/traces", {})).status).toBe(401);
    expect((await post("/v1/traces", { traces: [] })).status).toBe(401);
    expect((await post("/submit", { task_description: "x", total_budget_tokens: 10 })).status).toBe(401);
    // The probes stay open; metrics need the operator's token (test/security covers every route).
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/metrics")).status).toBe(401);
    expect((await get("/metrics", METRICS_TOKEN)).status).toBe(200);
  });

  it("runs a cycle for the key's tenant only", async () => {
    const res = await post("/v1/learning/cycles", {}, keyA);
    expect(res.status).toBe(200);
    const cycle = await json(res);
    expect(cycle).toMatchObject({ tenant: "acme", status: "idle" });
    cycleA = cycle.id;
    const bad = await post("/v1/learning/cycles", { agnet: "typo" }, keyA);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toContain("agnet");
  });

  it("never shows tenant A's cycles, status, versions or guidelines to tenant B", async () => {
    const listA = await json(await get("/v1/learning/cycles", keyA));
    const listB = await json(await get("/v1/learning/cycles", keyB));
    expect(listA.cycles.map((c: { id: string }) => c.id)).toEqual([cycleA]);
    expect(listB.cycles).toEqual([]);
    expect((await get(`/v1/learning/cycles/${cycleA}`, keyA)).status).toBe(200);
    expect((await get(`/v1/learning/cycles/${cycleA}`, keyB)).status).toBe(404);

    const statusA = await json(await get("/v1/learning/status", keyA));
    const statusB = await json(await get("/v1/learning/status", keyB));
    const diagnosis = (s: { signatures: { name: string }[] }) => s.signatures.find((x) => x.name === "diagnosis");
    expect(statusA).toMatchObject({ tenant: "acme", learning_cycles: 1 });
    expect(diagnosis(statusA)).toMatchObject({ active_version: "1.0.1", new_traces: 2, score_trend: [{ version: "1.0.1", score: 0.8 }] });
    expect(statusB).toMatchObject({ tenant: "globex", learning_cycles: 0 });
    expect(diagnosis(statusB)).toMatchObject({ active_version: null, new_traces: 0, score_trend: [] });

    const gA = await json(await get("/v1/learning/guidelines/diagnosis", keyA));
    const gB = await json(await get("/v1/learning/guidelines/diagnosis", keyB));
    expect(gA.events.map((e: { guideline: string }) => e.guideline)).toEqual(["Call get_pods before get_logs"]);
    expect(gB.events).toEqual([]);
  });

  it("never lets tenant B read or change tenant A's traces", async () => {
    const trace = { id: "shared-id", agent: "diagnosis", startedAt: "2026-11-22T08:00:00Z", input: { incidentReport: "acme only" } };
    expect((await post("/v1/traces", { traces: [trace] }, keyA)).status).toBe(200);
    expect((await get("/v1/traces/shared-id", keyA)).status).toBe(200);
    expect((await get("/v1/traces/shared-id", keyB)).status).toBe(404);
    const listB = await json(await get("/v1/traces", keyB));
    expect(JSON.stringify(listB)).not.toContain("acme only");
    expect((await post("/v1/traces/shared-id/outcome", { success: false }, keyB)).status).toBe(404);
    // The same id under B is B's own trace and leaves A's untouched.
    expect((await post("/v1/traces", { traces: [{ ...trace, input: { incidentReport: "globex" } }] }, keyB)).status).toBe(200);
    const a = await json(await get("/v1/traces/shared-id", keyA));
    expect(a.input).toEqual({ incidentReport: "acme only" });
    expect(a.outcome).toBeUndefined();
  });

  it("never shows tenant A's patterns or versions to tenant B", async () => {
    await service.db.pool.query(`INSERT INTO analysis_runs (id, tenant_id, agent, status, mode, finished_at) VALUES ('run-a', 'acme', 'diagnosis', 'succeeded', 'full', now())`);
    await service.db.pool.query(
      `INSERT INTO patterns (id, tenant_id, run_id, agent, type, key, description, support, frequency, effect, baseline, confidence, actionable, evidence)
       VALUES ('pat-a', 'acme', 'run-a', 'diagnosis', 'success_pattern', 'acme-secret-pattern', 'acme only', 5, 0.5, 0.4, 0.3, 0.99, true, '{"success":[],"failure":[]}')`,
    );
    const pa = await get("/v1/patterns?agent=diagnosis", keyA);
    const pb = await get("/v1/patterns?agent=diagnosis", keyB);
    expect(pa.status).toBe(200);
    expect(JSON.stringify(await json(pa))).toContain("acme-secret-pattern");
    expect(JSON.stringify(await json(pb))).not.toContain("acme-secret-pattern");
    const va = await get("/v1/versions/diagnosis", keyA);
    expect(va.status).toBe(200);
    expect(JSON.stringify(await json(va))).toContain("1.0.1");
    const vb = await get("/v1/versions/diagnosis", keyB);
    expect(JSON.stringify(await json(vb))).not.toContain("1.0.1");
    expect((await get("/v1/versions/diagnosis/1.0.1", keyB)).status).toBe(404);
  });

  it("never shows tenant A's tasks to tenant B", async () => {
    await service.db.pool.query(`INSERT INTO tasks (id, tenant_id, description, budget_tokens, status) VALUES ('task-a', 'acme', 'acme task', 100, 'completed')`);
    expect((await get("/v1/tasks/task-a", keyB)).status).toBe(404);
    expect((await get("/v1/tasks/task-a", keyA)).status).not.toBe(404);
  });

  it("refuses a key from the moment it is revoked", async () => {
    const extra = await createApiKey(service.db, { tenant: "acme", name: "temporary" });
    expect((await get("/v1/learning/status", extra.key)).status).toBe(200);
    await revokeApiKey(service.db, extra.id);
    expect((await get("/v1/learning/status", extra.key)).status).toBe(401);
  });

  it("exposes the documented metric series, including a cycle that ran", async () => {
    const text = await (await get("/metrics", METRICS_TOKEN)).text();
    const { METRIC_NAMES } = await import("../../src/observability/metrics.js");
    for (const name of METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toMatch(/meta_agent_learning_cycles_total\{tenant="acme",status="idle"\} [1-9]/);
    expect(text).toContain("meta_agent_process_cpu_user_seconds_total");
  });
});
