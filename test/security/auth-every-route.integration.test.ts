// Authentication cannot be stepped around: every route the service registers, in every spelling
// of its path that an HTTP client can send (case, trailing and double slashes, percent-encoding,
// dot segments), answers 401 without a key. The routes are read from the service's own router,
// so a route added later is covered without editing this test.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { request } from "node:http";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { listRoutes } from "../../src/http/list-routes.js";
import { PUBLIC_ROUTES } from "../../src/http/app.js";
import { PUBLIC_UI_ROUTES } from "../../src/ui/ui-routes.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

/** Sends a raw request: the path goes on the wire exactly as given (fetch would normalize it). */
function send(url: string, method: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path: rawPath, headers: { ...headers, ...(method === "POST" ? { "content-type": "application/json" } : {}) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

/** A concrete path for a route pattern: each `:param` becomes a plausible value. */
const concrete = (pattern: string) => pattern.replace(/:(\w+)/g, (_m, name: string) => (name === "version" ? "1.0.0" : name === "name" ? "diagnosis" : "abc123"));

/** The spellings of one path that a client can send and a lenient router might still match. */
function spellings(p: string): string[] {
  const segments = p.split("/").filter(Boolean);
  const first = segments[0] ?? "";
  const rest = segments.slice(1).join("/");
  const encodeFirstChar = (s: string) => `%${s.charCodeAt(0).toString(16).toUpperCase()}${s.slice(1)}`;
  return [
    p,
    p.toUpperCase(),
    `/${first.charAt(0).toUpperCase()}${first.slice(1)}${rest ? `/${rest}` : ""}`,
    `${p}/`,
    `/${p}`,
    p.replace(/\//g, "//"),
    `/${encodeFirstChar(first)}${rest ? `/${rest}` : ""}`,
    `/${first}${rest ? `%2F${rest}` : ""}`,
    `/${first}/../${first}${rest ? `/${rest}` : ""}`,
    `/./${first}${rest ? `/${rest}` : ""}`,
    `/x/..${p}`,
    `${p}?x=1`,
    `${p};x=1`,
    `${p}%20`,
    `${p}#frag`,
  ];
}

describe("authentication of every route", () => {
  const tmp = makeTempDir();
  let service: Service;
  let key: string;

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400" }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    key = (await createApiKey(service.db, { tenant: "acme" })).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the "are there keys?" check is cached for 1 s
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  const isPublic = (method: string, p: string) => PUBLIC_ROUTES.some((r) => r.method === method && r.path === p);
  const isPublicUi = (method: string, p: string) => PUBLIC_UI_ROUTES.some((r) => r.method === method && r.path === p);

  it("lists the service's routes from its router", () => {
    const routes = listRoutes(service.app);
    // A sanity check that the enumeration sees the feature routes (and so can fail).
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContainEqual({ method: "GET", path: "/v1/traces" });
    expect(routes).toContainEqual({ method: "POST", path: "/otlp/v1/traces" });
    expect(routes).toContainEqual({ method: "GET", path: "/metrics" });
  });

  it("answers 401 without a key on every route in every spelling, the public probes excepted", async () => {
    const failures: string[] = [];
    for (const route of listRoutes(service.app)) {
      for (const method of new Set([route.method, "GET", "POST"])) {
        for (const raw of spellings(concrete(route.path))) {
          const res = await send(service.url, method, raw);
          if (res.status === 401) continue;
          // A spelling the router still resolves to a public probe may answer it; nothing else may.
          if (isPublic(method, route.path) && res.status === 200 && /"status"/.test(res.body)) continue;
          // The dashboard's static files are public and hold no tenant data: an unknown name is a 404.
          if (isPublicUi(method, route.path) && res.status === 404) continue;
          failures.push(`${method} ${raw} -> ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 401 without a key on paths no route answers, so an unknown route is no way around the check", async () => {
    for (const raw of ["/", "/v2/traces", "/ui", "/V1", "/favicon.ico", "/%2e%2e/v1/traces"]) {
      expect((await send(service.url, "GET", raw)).status, raw).toBe(401);
    }
  });

  it("refuses an unknown key and a malformed authorization header on every route", async () => {
    for (const route of listRoutes(service.app)) {
      if (isPublic(route.method, route.path) || isPublicUi(route.method, route.path)) continue;
      const p = concrete(route.path);
      expect((await send(service.url, route.method, p, { authorization: "Bearer mak_unknownunknownunknownunknownunknownunknownu" })).status, `${route.method} ${p}`).toBe(401);
      expect((await send(service.url, route.method, p.toUpperCase(), { authorization: `Basic ${key}` })).status, `${route.method} ${p}`).toBe(401);
    }
  });

  it("lets a valid key through whatever the spelling (the same router serves it)", async () => {
    const res = await send(service.url, "GET", "/V1/Traces/", { authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ traces: [], nextCursor: null });
  });

  it("keeps the health probes public", async () => {
    expect((await send(service.url, "GET", "/healthz")).status).toBe(200);
    expect((await send(service.url, "GET", "/readyz")).status).toBe(200);
  });

  it("closes /metrics to tenant keys: it counts every tenant's data", async () => {
    expect((await send(service.url, "GET", "/metrics")).status).toBe(401);
    const withKey = await send(service.url, "GET", "/metrics", { authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(401);
    expect(withKey.body).toMatch(/metrics_token/);
  });
});

describe("the metrics token", () => {
  const tmp = makeTempDir();
  const token = "operator-metrics-token-0123456789";
  let service: Service;
  let key: string;

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400", META_AGENT_METRICS_TOKEN: token }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    key = (await createApiKey(service.db, { tenant: "acme" })).key;
    await new Promise((r) => setTimeout(r, 1_100));
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  it("opens /metrics to the operator's token and to no tenant key", async () => {
    const ok = await send(service.url, "GET", "/metrics", { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/meta_agent_traces_ingested_total/);
    expect((await send(service.url, "GET", "/METRICS/", { authorization: `Bearer ${key}` })).status).toBe(403);
    expect((await send(service.url, "GET", "/metrics", { authorization: "Bearer wrong-token-wrong-token-wrong" })).status).toBe(401);
    expect((await send(service.url, "GET", "/metrics")).status).toBe(401);
  });

  it("does not let the metrics token act for a tenant", async () => {
    expect((await send(service.url, "GET", "/v1/traces", { authorization: `Bearer ${token}` })).status).toBe(401);
  });
});
