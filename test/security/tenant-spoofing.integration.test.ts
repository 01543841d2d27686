// The tenant cannot be spoofed: only the API key chooses it. A header, query parameter or body
// field naming a tenant is refused with a clear 400, on every route, and nothing is written.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { listRoutes } from "../../src/http/list-routes.js";
import { PUBLIC_ROUTES } from "../../src/http/app.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

const trace = (id: string, extra: Record<string, unknown> = {}) => ({ id, agent: "support", startedAt: "2026-12-01T00:00:00Z", outcome: { success: true }, ...extra });

describe("the tenant comes from the key only", () => {
  const tmp = makeTempDir();
  let service: Service;
  let keyA: string;
  let keyB: string;
  const call = (method: string, p: string, key: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const idsOf = async (key: string) => ((await (await call("GET", "/v1/traces", key)).json()) as { traces: { id: string }[] }).traces.map((t) => t.id);

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400" }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    keyA = (await createApiKey(service.db, { tenant: "acme" })).key;
    keyB = (await createApiKey(service.db, { tenant: "globex" })).key;
    await new Promise((r) => setTimeout(r, 1_100));
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  it("refuses a tenant header on every route, whatever its spelling", async () => {
    for (const route of listRoutes(service.app)) {
      if (PUBLIC_ROUTES.some((r) => r.method === route.method && r.path === route.path)) continue;
      // The operator's metrics act for no tenant (and a tenant key does not open them).
      if (route.path === "/metrics") continue;
      const p = route.path.replace(/:(\w+)/g, "x1");
      for (const header of ["X-Tenant", "x-tenant-id", "X-Meta-Agent-Tenant", "tenant"]) {
        const res = await call(route.method, p, keyA, route.method === "POST" ? {} : undefined, { [header]: "globex" });
        expect(res.status, `${route.method} ${p} ${header}`).toBe(400);
        if (route.path.startsWith("/ui")) {
          // The dashboard's error page says the same in HTML.
          expect(await res.text(), `${route.method} ${p} ${header}`).toMatch(/the tenant comes from the API key only/);
          continue;
        }
        const body = (await res.json()) as { error?: { code: string; message: string } };
        expect(body.error?.code).toBe("tenant_not_selectable");
        expect(body.error?.message).toMatch(/the tenant comes from the API key only/);
      }
    }
  });

  it("refuses a tenant query parameter and a tenant body field, and writes nothing", async () => {
    expect((await call("GET", "/v1/traces?tenant=globex", keyA)).status).toBe(400);
    expect((await call("GET", "/v1/traces?tenantId=globex", keyA)).status).toBe(400);
    const batch = await call("POST", "/v1/traces", keyA, { traces: [trace("spoof-1", { tenant: "globex" })] });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { message: string } }).error.message).toContain("traces[0].tenant");
    expect((await call("POST", "/v1/traces", keyA, { tenant: "globex", traces: [trace("spoof-2")] })).status).toBe(400);
    expect((await call("POST", "/v1/learning/cycles", keyA, { tenant_id: "globex" })).status).toBe(400);
    expect(await idsOf(keyA)).toEqual([]);
    expect(await idsOf(keyB)).toEqual([]);
  });

  it("acts for the key's tenant when the request names none", async () => {
    expect((await call("POST", "/v1/traces", keyA, { traces: [trace("mine-1", { input: { tenant: "a field of the agent's own input is data, not a tenant" } })] })).status).toBe(200);
    expect(await idsOf(keyA)).toEqual(["mine-1"]);
    expect(await idsOf(keyB)).toEqual([]);
  });
});
