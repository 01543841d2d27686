// Dashboard sessions over plain HTTP against a running service on the embedded database: the
// sign-in cookie holds a random token (never the API key) whose hash alone is stored; the cookie
// opens the key's tenant until sign-out, expiry (ui_session_ttl) or the key's revocation, and a
// forged or stale cookie, or the old key cookie of earlier versions, gets the sign-in page.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey, type CreatedApiKey } from "../../src/tenancy/create-api-key.js";
import { revokeApiKey } from "../../src/tenancy/revoke-api-key.js";
import { hashUiSessionToken } from "../../src/tenancy/ui-session-token.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";

const CSRF = "csrf-token-for-tests-0123456789";
const CSRF_COOKIE = `meta_agent_ui_csrf=${CSRF}`;
const TTL_SECONDS = 5400;

describe("dashboard sessions", () => {
  const tmp = makeTempDir();
  let service: Service;
  let acme: CreatedApiKey;
  let globex: CreatedApiKey;

  const get = (p: string, cookie?: string) => fetch(`${service.url}${p}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const postForm = (p: string, fields: Record<string, string>, cookie: string) =>
    fetch(`${service.url}${p}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: service.url }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
  const sessionCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("meta_agent_ui_session="));
  const sessionRows = async () =>
    (await service.db.pool.query<{ id: string; tenant_id: string; api_key_id: string; token_hash: string; created_at: Date; last_seen_at: Date; expires_at: Date }>(`SELECT * FROM ui_sessions ORDER BY created_at`)).rows;

  /** Signs in with `key` and returns the session cookie (`name=value`) and the full Set-Cookie header. */
  async function signIn(key: string, extraCookie = ""): Promise<{ cookie: string; setCookie: string; token: string }> {
    const res = await postForm("/ui/sign-in", { key, csrf: CSRF, next: "/ui" }, [CSRF_COOKIE, extraCookie].filter(Boolean).join("; "));
    expect(res.status).toBe(303);
    const setCookie = sessionCookieOf(res);
    expect(setCookie).toBeDefined();
    const cookie = setCookie!.split(";")[0]!;
    return { cookie, setCookie: setCookie!, token: decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)) };
  }

  /** The page answers 401 with the sign-in form and clears the session cookie. */
  async function expectSignInPage(cookie: string) {
    const res = await get("/ui", cookie);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('<label for="key">API key</label>');
    expect(sessionCookieOf(res)).toMatch(/^meta_agent_ui_session=; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=0$/);
  }

  beforeAll(async () => {
    const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, PORT: "0", LEARNING_INTERVAL: "86400", UI_SESSION_TTL: String(TTL_SECONDS) }, cwd: tmp.dir });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    acme = await createApiKey(service.db, { tenant: "acme" });
    globex = await createApiKey(service.db, { tenant: "globex" });
    await new Promise((r) => setTimeout(r, 1_100)); // the "are there keys?" check is cached for 1 s
  });
  afterAll(async () => {
    await service?.close();
    tmp.remove();
  });

  it("gives the browser a random token, not the API key, and stores only the token's hash with tenant, key and expiry", async () => {
    const { setCookie, token } = await signIn(acme.key);
    expect(setCookie).not.toContain(acme.key);
    expect(setCookie).not.toContain(encodeURIComponent(acme.key));
    expect(setCookie).not.toContain(acme.prefix);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(setCookie).toMatch(new RegExp(`; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${TTL_SECONDS}$`));

    const row = (await sessionRows()).find((r) => r.token_hash === hashUiSessionToken(token));
    expect(row).toBeDefined();
    expect(row!.tenant_id).toBe("acme");
    expect(row!.api_key_id).toBe(acme.id);
    expect((row!.expires_at.getTime() - row!.created_at.getTime()) / 1000).toBeCloseTo(TTL_SECONDS, 0);
    // Nothing in the table is the token or the key.
    const dump = JSON.stringify(await sessionRows());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(acme.key);
  });

  it("opens the key's tenant with the cookie alone, and a second sign-in from the same browser ends the first session", async () => {
    const first = await signIn(acme.key);
    const page = await get("/ui", first.cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="tenant">acme<');

    const second = await signIn(globex.key, first.cookie);
    expect(second.token).not.toBe(first.token);
    expect(await (await get("/ui", second.cookie)).text()).toContain('data-testid="tenant">globex<');
    await expectSignInPage(first.cookie);
  });

  it("ends the session at sign-out: the row is deleted and the same cookie gets the sign-in page", async () => {
    const { cookie, token } = await signIn(acme.key);
    expect((await get("/ui/traces", cookie)).status).toBe(200);
    // Sign-out is a form like the others: refused without its CSRF token.
    expect((await postForm("/ui/sign-out", {}, `${cookie}; ${CSRF_COOKIE}`)).status).toBe(403);
    expect((await get("/ui", cookie)).status).toBe(200);

    const out = await postForm("/ui/sign-out", { csrf: CSRF }, `${cookie}; ${CSRF_COOKIE}`);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/ui");
    expect(sessionCookieOf(out)).toMatch(/^meta_agent_ui_session=; .*Max-Age=0$/);
    expect((await sessionRows()).some((r) => r.token_hash === hashUiSessionToken(token))).toBe(false);
    await expectSignInPage(cookie);
  });

  it("ends every session of a key when the key is revoked", async () => {
    const key = await createApiKey(service.db, { tenant: "acme", name: "to revoke" });
    const a = await signIn(key.key);
    const b = await signIn(key.key);
    expect((await get("/ui", a.cookie)).status).toBe(200);
    expect((await get("/ui", b.cookie)).status).toBe(200);
    await revokeApiKey(service.db, key.id);
    expect((await sessionRows()).filter((r) => r.api_key_id === key.id)).toEqual([]);
    await expectSignInPage(a.cookie);
    await expectSignInPage(b.cookie);
    // Other keys' sessions live on.
    const other = await signIn(acme.key);
    expect((await get("/ui", other.cookie)).status).toBe(200);
  });

  it("refuses a session whose key was revoked even while its row is still there", async () => {
    const key = await createApiKey(service.db, { tenant: "acme", name: "revoked by hand" });
    const { cookie } = await signIn(key.key);
    expect((await get("/ui", cookie)).status).toBe(200);
    // A revocation that did not go through revokeApiKey (an operator's SQL): the row survives.
    await service.db.pool.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [key.id]);
    expect((await sessionRows()).some((r) => r.api_key_id === key.id)).toBe(true);
    await expectSignInPage(cookie);
  });

  it("refuses an expired session, and purges expired sessions at the next sign-in", async () => {
    const { cookie, token } = await signIn(acme.key);
    expect((await get("/ui", cookie)).status).toBe(200);
    await service.db.pool.query(`UPDATE ui_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashUiSessionToken(token)]);
    await expectSignInPage(cookie);
    expect((await sessionRows()).some((r) => r.token_hash === hashUiSessionToken(token))).toBe(true);

    await signIn(globex.key);
    const rows = await sessionRows();
    expect(rows.some((r) => r.token_hash === hashUiSessionToken(token))).toBe(false);
    expect(rows.every((r) => r.expires_at.getTime() > Date.now())).toBe(true);
  });

  it("answers a forged or malformed cookie with the sign-in page", async () => {
    const forged = Buffer.alloc(32, 7).toString("base64url");
    await expectSignInPage(`meta_agent_ui_session=${forged}`);
    await expectSignInPage("meta_agent_ui_session=not-a-token");
    // Knowing a stored hash is no help: the cookie must be the token itself.
    const { token } = await signIn(acme.key);
    const hash = hashUiSessionToken(token);
    await expectSignInPage(`meta_agent_ui_session=${hash}`);
  });

  it("no longer signs in with the API key in the cookie of earlier versions, and clears that cookie", async () => {
    const res = await get("/ui", `meta_agent_ui_key=${encodeURIComponent(acme.key)}`);
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toContain("meta_agent_ui_key=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0");
    // Alongside a live session it is cleared too, and the session decides.
    const { cookie } = await signIn(acme.key);
    const both = await get("/ui", `meta_agent_ui_key=${encodeURIComponent(globex.key)}; ${cookie}`);
    expect(both.status).toBe(200);
    expect(await both.text()).toContain('data-testid="tenant">acme<');
    expect(both.headers.getSetCookie()).toContain("meta_agent_ui_key=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0");
  });

  it("keeps the Authorization header working without any session", async () => {
    const before = (await sessionRows()).length;
    const res = await fetch(`${service.url}/ui`, { headers: { authorization: `Bearer ${globex.key}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-testid="tenant">globex<');
    expect(sessionCookieOf(res)).toBeUndefined();
    expect((await sessionRows()).length).toBe(before);
  });
});
