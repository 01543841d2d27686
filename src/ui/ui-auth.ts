// Who is looking at the dashboard: the session of the sign-in cookie (a random token; the API key
// itself never leaves the sign-in form) or an `Authorization: Bearer` key, decided as the API
// decides it — open for `default` on loopback while no key exists, otherwise a key or a live
// session is required and only its tenant's data is shown. Forms carry a CSRF token (double
// submit, SameSite=Strict cookies) and must come from the same origin.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Database } from "../db/database.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";
import { AppError } from "../errors.js";
import { authenticateApiKey } from "../tenancy/authenticate-api-key.js";
import { authenticateUiSession } from "../tenancy/authenticate-ui-session.js";
import { bearerToken } from "../http/api-key-auth.js";
import { renderSignIn } from "./pages/sign-in.js";

/** The session token cookie (`ui_session_ttl`). */
export const SESSION_COOKIE = "meta_agent_ui_session";
/** Where earlier versions kept the API key itself: cleared wherever it still turns up, never read. */
export const LEGACY_KEY_COOKIE = "meta_agent_ui_key";
export const CSRF_COOKIE = "meta_agent_ui_csrf";

/** Cookies of a request, by name (the first of each). */
export function cookiesOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in out)) {
      try {
        out[name] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        // A cookie that is not valid percent-encoding is ignored, like a missing one.
      }
    }
  }
  return out;
}

/** A `Set-Cookie` value scoped to the dashboard: HttpOnly, SameSite=Strict, Secure behind TLS. */
export function cookie(req: Request, name: string, value: string, maxAgeSeconds?: number): string {
  return [`${name}=${encodeURIComponent(value)}`, "Path=/ui", "HttpOnly", "SameSite=Strict", ...(req.secure ? ["Secure"] : []), ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : [])].join("; ");
}

/** The request's CSRF token, issuing one (cookie) when it has none. */
export function csrfToken(req: Request, res: Response): string {
  const existing = cookiesOf(req)[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  res.append("Set-Cookie", cookie(req, CSRF_COOKIE, token));
  return token;
}

export class ForbiddenFormError extends AppError {
  constructor(message: string) {
    super("forbidden", message, { status: 403 });
  }
}

/** Throws unless a form post is same-origin and carries the CSRF token of its cookie. */
export function checkForm(req: Request): void {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string" && site !== "same-origin" && site !== "none") throw new ForbiddenFormError("This form must be sent from the dashboard itself");
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin !== "null") {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new ForbiddenFormError("This form must be sent from the dashboard itself");
  }
  const sent = (req.body as Record<string, unknown> | undefined)?.["csrf"];
  const expected = cookiesOf(req)[CSRF_COOKIE];
  if (typeof sent !== "string" || !expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
    throw new ForbiddenFormError("The form is stale or was not sent from the dashboard: reload the page and try again");
  }
}

/** The path to return to after signing in: a dashboard page of this service, never another site. */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/ui(\/[^\\]*)?(\?.*)?$/.test(value) && !value.startsWith("//") ? value : "/ui";
}

export interface UiAuthOptions {
  db: Database;
  /** The API's "are keys required?" check (keys exist, or the service is reachable beyond loopback). */
  keysRequired: () => Promise<boolean>;
}

/**
 * Sets `res.locals.tenantId` (and `uiOpen` when no key is needed; `uiSessionId` when a session
 * cookie decided) or answers 401 with the sign-in page, which returns to the page asked for.
 */
export function uiAuthenticate(options: UiAuthOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const cookies = cookiesOf(req);
      if (LEGACY_KEY_COOKIE in cookies) res.append("Set-Cookie", cookie(req, LEGACY_KEY_COOKIE, "", 0));
      const key = bearerToken(req.headers.authorization);
      if (key) {
        const auth = await authenticateApiKey(options.db, key);
        if (!auth) return signIn(req, res, "That API key is unknown or revoked.");
        res.locals["tenantId"] = auth.tenant;
        res.locals["uiOpen"] = false;
        return next();
      }
      const token = cookies[SESSION_COOKIE];
      if (token) {
        const session = await authenticateUiSession(options.db, token);
        if (!session) {
          res.append("Set-Cookie", cookie(req, SESSION_COOKIE, "", 0));
          return signIn(req, res, "Your dashboard session has ended (signed out, expired, or its API key was revoked). Sign in again.");
        }
        res.locals["tenantId"] = session.tenant;
        res.locals["uiOpen"] = false;
        res.locals["uiSessionId"] = session.sessionId;
        return next();
      }
      if (await options.keysRequired()) return signIn(req, res);
      res.locals["tenantId"] = DEFAULT_TENANT;
      res.locals["uiOpen"] = true;
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** Answers 401 with the sign-in form. */
export function signIn(req: Request, res: Response, error?: string, returnTo?: string): void {
  const next = returnTo ?? (req.method === "GET" ? req.originalUrl : "/ui");
  res.status(401).setHeader("WWW-Authenticate", 'Bearer realm="meta-agent"');
  res.type("html").send(renderSignIn({ csrf: csrfToken(req, res), next: safeNext(next), ...(error ? { error } : {}) }).value);
}
