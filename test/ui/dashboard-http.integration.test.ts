// The dashboard over plain HTTP (the browser suite drives it in Chromium): open on loopback while
// no key exists, then sign-in only; the session cookie's flags; forms refused without their CSRF
// token or from another origin; no open redirect after sign-in; escaping of trace contents; the
// security headers; empty pages that explain themselves instead of failing.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

const CSRF = "csrf-token-for-tests-0123456789";

describe("the dashboard over HTTP", () => {
  const tmp = makeTempDir();
  let service: Service;
  let key: string;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${service.url}${p}`, { headers, redirect: "manual" });
  const postForm = (p: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${p}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString(), redirect: "manual" });

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400", MIN_TRACES_FOR_ANALYSIS: "10" }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger, { ui: { canaries: async (tenant) => ({ canaries: [{ signature: "diagnosis", version: "1.0.1", state: `ramping for ${tenant}`, share: 0.1 }] }) } });
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  it("is open for the default tenant on loopback while no key exists, like the API", async () => {
    const res = await get("/ui");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('data-testid="tenant">default<');
    expect(page).toContain("open (loopback)");
    expect(page).toContain("No traces in the last 30 days");
  });

  it("explains empty pages instead of failing", async () => {
    for (const [p, text] of [
      ["/ui/traces", "No traces match these filters."],
      ["/ui/findings", "No findings yet"],
      ["/ui/versions", "No compiled versions yet"],
      ["/ui/learning", "No learning cycle has run yet"],
    ] as const) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(await res.text(), p).toContain(text);
    }
    const missing = await get("/ui/versions/diagnosis");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/<p class="error" role="alert">/);
  });

  it("shows trace contents escaped, never as markup", async () => {
    const ingest = await fetch(`${service.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ traces: [{ id: "hostile", agent: "<img src=x onerror=alert(1)>", input: { q: "<script>alert(1)</script>" }, outcome: { success: false, expected: { answer: "<i>corrected</i>" } }, startedAt: new Date().toISOString(), steps: [{ type: "tool_call", name: "t", success: false, error: "</pre><b>boom</b>" }] }] }),
    });
    expect(ingest.status).toBe(200);
    const page = await (await get("/ui/traces/hostile")).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<b>boom</b>");
    expect(page).toContain("&lt;/pre&gt;&lt;b&gt;boom&lt;/b&gt;");
    // A correction is shown beside the run's output, escaped like the rest.
    expect(page).toContain("<h3>Corrected output</h3>");
    expect(page).not.toContain("<i>corrected</i>");
    expect(page).toContain("&lt;i&gt;corrected&lt;/i&gt;");
    // The list's filter facets and rows too.
    expect(await (await get("/ui/traces")).text()).not.toContain("<img src=x");
  });

  it("shows what appeared in one analysis run and what vanished by the next", async () => {
    const at = (daysAgo: number, i: number) => new Date(Date.now() - daysAgo * 86_400_000 + i * 1000).toISOString();
    const run = (id: string, startedAt: string, flakyFails: boolean | null) => ({
      id,
      agent: "sorter",
      startedAt,
      outcome: { success: flakyFails !== true },
      steps: [
        { type: "tool_call", name: "read_queue", arguments: {}, success: true, durationMs: 5 },
        ...(flakyFails === null ? [] : [{ type: "tool_call", name: "flaky_lookup", arguments: {}, success: !flakyFails, ...(flakyFails ? { error: "connection reset" } : {}), durationMs: 9 }]),
      ],
    });
    // Ten days ago the agent called flaky_lookup, which failed half the time (and the run with it);
    // in the last days it no longer calls it.
    const old = Array.from({ length: 30 }, (_, i) => run(`old-${i}`, at(10, i), i % 2 === 0));
    const recent = Array.from({ length: 30 }, (_, i) => run(`new-${i}`, at(1, i), null));
    const post = (p: string, body: unknown) => fetch(`${service.url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post("/v1/traces", { traces: [...old, ...recent] })).status).toBe(200);
    expect((await post("/v1/analyze", { agent: "sorter", full: true, windowDays: 30 })).status).toBe(200);
    const first = await (await get("/ui/findings")).text();
    expect(first).toMatch(/Appeared \(\d+\):[\s\S]*flaky_lookup/);
    expect(first).toContain("Vanished (0)");
    expect((await post("/v1/analyze", { agent: "sorter", full: true, windowDays: 5 })).status).toBe(200);
    const second = await (await get("/ui/findings")).text();
    const vanished = /<ul data-testid="vanished">([\s\S]*?)<\/ul>/.exec(second)?.[1] ?? "";
    expect(vanished).toContain("flaky_lookup");
    expect(second).toMatch(/Vanished \([1-9]/);
  });

  it("sends a policy that forbids inline scripts and other origins, and serves its assets itself", async () => {
    const res = await get("/ui");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'; script-src 'self'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const page = await res.text();
    expect(page).not.toMatch(/<script(?![^>]*(src="\/ui\/assets\/|type="application\/json"))/);
    expect(page).not.toMatch(/https?:\/\//);
    for (const [file, type] of [["uplot.js", "text/javascript"], ["uplot.css", "text/css"], ["app.js", "text/javascript"], ["app.css", "text/css"]]) {
      const asset = await get(`/ui/assets/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get("content-type"), file).toContain(type);
    }
    expect((await get("/ui/assets/..%2F..%2Fpackage.json")).status).toBe(404);
  });

  it("refuses a tenant chosen in the query, as the API does", async () => {
    expect((await get("/ui/traces?tenant=other")).status).toBe(400);
  });

  it("shows the canary state a source reports, for the signed-in tenant, and reads odd shapes defensively", async () => {
    const page = await (await get("/ui/versions")).text();
    expect(page).toContain('data-testid="canaries"');
    expect(page).toContain("ramping for default");
    const { canaryRecords } = await import("../../src/ui/pages/canaries.js");
    expect(canaryRecords({ canaries: [{ signature: "a" }, 3] })).toEqual([{ signature: "a" }]);
    expect(canaryRecords([{ name: "b" }])).toEqual([{ name: "b" }]);
    expect(canaryRecords("nonsense")).toEqual([]);
  });

  describe("once a key exists", () => {
    beforeAll(async () => {
      key = (await createApiKey(service.db, { tenant: "acme" })).key;
      await new Promise((r) => setTimeout(r, 1_100)); // the "are there keys?" check is cached for 1 s
    });

    it("answers 401 with the sign-in form, which returns to the page asked for", async () => {
      const res = await get("/ui/learning?cursor=x");
      expect(res.status).toBe(401);
      const page = await res.text();
      expect(page).toContain('<label for="key">API key</label>');
      expect(page).toContain('name="next" value="/ui/learning?cursor=x"');
      expect(page).not.toContain("default");
    });

    it("signs in with a key and the form's token, keeping a session token (not the key) in an HttpOnly, SameSite=Strict cookie for /ui", async () => {
      const cookie = `meta_agent_ui_csrf=${CSRF}`;
      expect((await postForm("/ui/sign-in", { key, csrf: "wrong-token-wrong-token-wrong", next: "/ui" }, { cookie })).status).toBe(403);
      expect((await postForm("/ui/sign-in", { key: "mak_unknown", csrf: CSRF }, { cookie })).status).toBe(401);
      // A form without its token learns nothing about the key it carries: 403 before any lookup.
      expect((await postForm("/ui/sign-in", { key: "mak_unknown", csrf: "wrong-token-wrong-token-wrong" }, { cookie })).status).toBe(403);
      const res = await postForm("/ui/sign-in", { key, csrf: CSRF, next: "/ui/traces?agent=x" }, { cookie });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/ui/traces?agent=x");
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("meta_agent_ui_session="))!;
      expect(setCookie).toMatch(/; Path=\/ui; HttpOnly; SameSite=Strict/);
      expect(setCookie).not.toContain(key);
      const page = await get("/ui", { cookie: setCookie.split(";")[0]! });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-testid="tenant">acme<');
    });

    it("never redirects off the dashboard after sign-in", async () => {
      const cookie = `meta_agent_ui_csrf=${CSRF}`;
      for (const next of ["https://evil.example/", "//evil.example/ui", "/v1/traces", "/ui\\..\\evil", "javascript:alert(1)"]) {
        const res = await postForm("/ui/sign-in", { key, csrf: CSRF, next }, { cookie });
        expect(res.headers.get("location"), next).toBe("/ui");
      }
    });

    it("refuses a rollback form without its token, from another origin, or from another site", async () => {
      const auth = { authorization: `Bearer ${key}`, cookie: `meta_agent_ui_csrf=${CSRF}` };
      expect((await postForm("/ui/versions/diagnosis/rollback", { to: "1.0.0" }, auth)).status).toBe(403);
      expect((await postForm("/ui/versions/diagnosis/rollback", { to: "1.0.0", csrf: CSRF }, { ...auth, origin: "https://evil.example" })).status).toBe(403);
      expect((await postForm("/ui/versions/diagnosis/rollback", { to: "1.0.0", csrf: CSRF }, { ...auth, "sec-fetch-site": "cross-site" })).status).toBe(403);
      // Without a key nothing is decided at all.
      expect((await postForm("/ui/versions/diagnosis/rollback", { to: "1.0.0", csrf: CSRF }, { cookie: auth.cookie })).status).toBe(401);
      // With everything right it reaches the registry: acme has no such signature.
      expect((await postForm("/ui/versions/diagnosis/rollback", { to: "1.0.0", csrf: CSRF }, { ...auth, origin: service.url })).status).toBe(404);
    });

    it("shows each tenant only its own traces and canary state", async () => {
      const page = await (await get("/ui/traces", { authorization: `Bearer ${key}` })).text();
      expect(page).not.toContain("hostile");
      expect((await get("/ui/traces/hostile", { authorization: `Bearer ${key}` })).status).toBe(404);
      const versions = await (await get("/ui/versions", { authorization: `Bearer ${key}` })).text();
      expect(versions).toContain("No compiled versions yet");
      expect(versions).toContain("ramping for acme");
      expect(versions).not.toContain("ramping for default");
    });
  });
});
