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
import { insertTraces, traces } from "../support/learning-fixtures.js";

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
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", HOST: "127.0.0.1", MIN_TRACES_FOR_ANALYSIS: "5" }, cwd: tmp.dir });
    service = await startService(config, silentLogger);
    keyA = (await createApiKey(service.db, { tenant: "acme" })).key;
    keyB = (await createApiKey(service.db, { tenant: "globex" })).key;
    await insertTraces(service.db, traces(2, { tenant: "acme", agent: "diagnosis", signature: "diagnosis", success: true }));
    await service.db.pool.query(
      `INSERT INTO guideline_events (id, tenant_id, signature, version, action, guideline) VALUES ('g1', 'acme', 'diagnosis', '1.0.1', 'added', 'Call get_pods before get_logs')`,
    );
    await service.db.pool.query(
      `INSERT INTO prompt_versions (id, tenant_id, name, version, content_hash, content, status, score) VALUES ('pv1', 'acme', 'diagnosis', '1.0.1', 'h', 'x', 'active', 0.8)`,
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
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    expect((await post("/v1/learning/cycles", {})).status).toBe(401);
    expect((await post("/otlp/v1/traces", {})).status).toBe(401);
    // Probes and metrics stay open.
    expect((await get("/healthz")).status).toBe(200);
    expect((await get("/metrics")).status).toBe(200);
  });

  it("runs a cycle for the key's tenant only", async () => {
    const res = await post("/v1/learning/cycles", {}, keyA);
    expect(res.status).toBe(200);
    const cycle = await res.json();
    expect(cycle).toMatchObject({ tenant: "acme", status: "idle" });
    cycleA = cycle.id;
    const bad = await post("/v1/learning/cycles", { agnet: "typo" }, keyA);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("agnet");
  });

  it("never shows tenant A's cycles, status, versions or guidelines to tenant B", async () => {
    const listA = await (await get("/v1/learning/cycles", keyA)).json();
    const listB = await (await get("/v1/learning/cycles", keyB)).json();
    expect(listA.cycles.map((c: { id: string }) => c.id)).toEqual([cycleA]);
    expect(listB.cycles).toEqual([]);
    expect((await get(`/v1/learning/cycles/${cycleA}`, keyA)).status).toBe(200);
    expect((await get(`/v1/learning/cycles/${cycleA}`, keyB)).status).toBe(404);

    const statusA = await (await get("/v1/learning/status", keyA)).json();
    const statusB = await (await get("/v1/learning/status", keyB)).json();
    expect(statusA).toMatchObject({ tenant: "acme", learning_cycles: 1, signatures: [{ name: "diagnosis", active_version: "1.0.1", new_traces: 2 }] });
    expect(statusB).toMatchObject({ tenant: "globex", learning_cycles: 0, signatures: [] });

    const gA = await (await get("/v1/learning/guidelines/diagnosis", keyA)).json();
    const gB = await (await get("/v1/learning/guidelines/diagnosis", keyB)).json();
    expect(gA.events.map((e: { guideline: string }) => e.guideline)).toEqual(["Call get_pods before get_logs"]);
    expect(gB.events).toEqual([]);
  });

  it("refuses a key from the moment it is revoked", async () => {
    const extra = await createApiKey(service.db, { tenant: "acme", name: "temporary" });
    expect((await get("/v1/learning/status", extra.key)).status).toBe(200);
    await revokeApiKey(service.db, extra.id);
    expect((await get("/v1/learning/status", extra.key)).status).toBe(401);
  });

  it("exposes the documented metric series, including a cycle that ran", async () => {
    const text = await (await get("/metrics")).text();
    const { METRIC_NAMES } = await import("../../src/observability/metrics.js");
    for (const name of METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toMatch(/meta_agent_learning_cycles_total\{status="idle"\} [1-9]/);
    expect(text).toContain("meta_agent_process_cpu_user_seconds_total");
  });
});
