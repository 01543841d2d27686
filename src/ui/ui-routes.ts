// The dashboard at /ui: server-rendered pages over the same use cases as the API, for the tenant
// of the signed-in key. Mounted before the API's authentication: its own (ui-auth.ts) reads the
// session from a cookie and answers 401 with the sign-in page. Only the static assets and the
// sign-in form are reachable without a key; every page reads through the tenant's scope.
import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { z } from "zod";
import { parseInput } from "../domain/input-safety.js";
import { AppError } from "../errors.js";
import { urlGuard } from "../http/url-guard.js";
import { rejectTenantSelection } from "../http/tenant-selection.js";
import { tenantOf } from "../http/tenant.js";
import { authenticateApiKey } from "../tenancy/authenticate-api-key.js";
import { createUiSession } from "../tenancy/create-ui-session.js";
import { endUiSession } from "../tenancy/end-ui-session.js";
import { rollbackVersion } from "../registry/rollback-version.js";
import { html, type Html } from "./html.js";
import { page, type NAV, type PageContext } from "./layout.js";
import { uiAssetFiles } from "./assets-files.js";
import { checkForm, cookie, cookiesOf, csrfToken, safeNext, SESSION_COOKIE, signIn, uiAuthenticate } from "./ui-auth.js";
import type { UiDeps } from "./ui-deps.js";
import { renderOverview } from "./pages/overview.js";
import { renderTraces, TracesQuerySchema } from "./pages/traces.js";
import { renderTrace } from "./pages/trace.js";
import { FindingsQuerySchema, renderFindings } from "./pages/findings.js";
import { DiffQuerySchema, renderRollbackConfirm, renderSignature, renderSignatures, SignatureParamsSchema } from "./pages/versions.js";
import { LearningQuerySchema, renderLearning } from "./pages/learning.js";

/** No inline script or style, nothing from another origin. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Dashboard routes that answer without a key: its static files (no tenant data). */
export const PUBLIC_UI_ROUTES = [{ method: "GET", path: "/ui/assets/:file" }] as const;

const OverviewQuery = z.object({ days: z.enum(["7", "30", "90"]).default("30").transform(Number) });
const TraceParams = z.object({ id: z.string().min(1).max(200) });
const RollbackQuery = z.object({ to: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3") });
const RollbackForm = z.object({ to: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3"), csrf: z.string() });
const SignInForm = z.object({ key: z.string().max(500).optional(), next: z.string().max(2000).optional(), csrf: z.string().max(200).optional() });

const contextOf = (req: Request, res: Response): PageContext => ({ tenant: tenantOf(res), csrf: csrfToken(req, res), open: res.locals["uiOpen"] === true });

function send(res: Response, status: number, body: Html): void {
  res.status(status).type("html").setHeader("Cache-Control", "no-store").send(body.value);
}

export function uiRoutes(deps: UiDeps): Router {
  const router = Router();
  const assets = uiAssetFiles();
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 });
  const show = (req: Request, res: Response, title: string, section: (typeof NAV)[number]["href"], body: Html, status = 200) =>
    send(res, status, page({ title, section, body, ctx: contextOf(req, res) }));

  router.use("/ui", (_req, res, next) => {
    res.setHeader("Content-Security-Policy", CSP);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    next();
  });
  router.use("/ui", urlGuard, rejectTenantSelection);

  // Public: the static files (no tenant data) and the sign-in form's target.
  router.get("/ui/assets/:file", (req, res, next) => {
    const asset = assets.get(String(req.params["file"]));
    if (!asset) return next(new AppError("not_found", "No such asset", { status: 404 }));
    res.type(asset.type).setHeader("Cache-Control", "public, max-age=300");
    res.sendFile(asset.path, (err) => err && next(err));
  });
  router.post("/ui/sign-in", form, async (req, res, next) => {
    try {
      const body = parseInput(SignInForm, req.body ?? {}, "form");
      if (!body.key) return signIn(req, res, "Enter an API key.", body.next);
      // The form before the key: a post from elsewhere learns nothing about the key it carries.
      checkForm(req);
      const auth = await authenticateApiKey(deps.db, body.key.trim());
      if (!auth) return signIn(req, res, "That API key is unknown or revoked.", body.next);
      // A fresh token at every sign-in; a session the browser already had ends (no fixation).
      const previous = cookiesOf(req)[SESSION_COOKIE];
      if (previous) await endUiSession(deps.db, previous);
      const session = await createUiSession(deps.db, auth, deps.sessionTtlSeconds);
      res.append("Set-Cookie", cookie(req, SESSION_COOKIE, session.token, deps.sessionTtlSeconds));
      deps.logger.info({ name: "ui-signed-in", tenant: auth.tenant, keyId: auth.keyId, sessionId: session.id, expiresAt: session.expiresAt.toISOString() }, "dashboard sign-in");
      res.redirect(303, safeNext(body.next));
    } catch (e) {
      next(e);
    }
  });

  // Everything else under /ui needs the tenant of a key (or the open loopback mode).
  router.use("/ui", uiAuthenticate({ db: deps.db, keysRequired: deps.keysRequired }));

  router.post("/ui/sign-out", form, async (req, res) => {
    checkForm(req);
    const token = cookiesOf(req)[SESSION_COOKIE];
    if (token && (await endUiSession(deps.db, token))) {
      deps.logger.info({ name: "ui-signed-out", tenant: tenantOf(res), sessionId: res.locals["uiSessionId"] }, "dashboard sign-out");
    }
    res.append("Set-Cookie", cookie(req, SESSION_COOKIE, "", 0));
    res.redirect(303, "/ui");
  });
  router.get("/ui", async (req, res) => {
    const q = parseInput(OverviewQuery, req.query, "query");
    show(req, res, "Overview", "/ui", await renderOverview(deps, tenantOf(res), q));
  });
  router.get("/ui/traces", async (req, res) => {
    const q = parseInput(TracesQuerySchema, req.query, "query");
    show(req, res, "Traces", "/ui/traces", await renderTraces(deps, tenantOf(res), q));
  });
  router.get("/ui/traces/:id", async (req, res) => {
    const { id } = parseInput(TraceParams, req.params, "path");
    const { title, body } = await renderTrace(deps, tenantOf(res), id);
    show(req, res, title, "/ui/traces", body);
  });
  router.get("/ui/findings", async (req, res) => {
    const q = parseInput(FindingsQuerySchema, req.query, "query");
    show(req, res, "Findings", "/ui/findings", await renderFindings(deps, tenantOf(res), q));
  });
  router.get("/ui/versions", async (req, res) => {
    show(req, res, "Versions", "/ui/versions", await renderSignatures(deps, tenantOf(res)));
  });
  router.get("/ui/versions/:name", async (req, res) => {
    const { name } = parseInput(SignatureParamsSchema, req.params, "path");
    const q = parseInput(DiffQuerySchema, req.query, "query");
    const notice = req.query["rolledBack"];
    const flash = typeof notice === "string" && /^\d+\.\d+\.\d+$/.test(notice) ? html`<p class="notice" role="status">Rolled back: ${name} ${notice} is now served.</p>` : html``;
    show(req, res, `Versions of ${name}`, "/ui/versions", html`${flash}${await renderSignature(deps, tenantOf(res), name, q)}`);
  });
  router.get("/ui/versions/:name/rollback", async (req, res) => {
    const { name } = parseInput(SignatureParamsSchema, req.params, "path");
    const { to } = parseInput(RollbackQuery, req.query, "query");
    show(req, res, "Confirm rollback", "/ui/versions", await renderRollbackConfirm(deps, tenantOf(res), name, to, csrfToken(req, res)));
  });
  router.post("/ui/versions/:name/rollback", form, async (req, res) => {
    const { name } = parseInput(SignatureParamsSchema, req.params, "path");
    checkForm(req);
    const { to } = parseInput(RollbackForm, req.body ?? {}, "form");
    const result = await rollbackVersion(deps.registry, { tenant: tenantOf(res), name, to });
    deps.logger.info({ name: "ui-rollback", tenant: tenantOf(res), signature: name, to, version: result.version }, "rollback from the dashboard");
    res.redirect(303, `/ui/versions/${encodeURIComponent(name)}?rolledBack=${result.version}`);
  });
  router.get("/ui/learning", async (req, res) => {
    const q = parseInput(LearningQuerySchema, req.query, "query");
    show(req, res, "Learning", "/ui/learning", await renderLearning(deps, tenantOf(res), q));
  });
  router.use("/ui", (req, _res, next) => next(new AppError("not_found", `No page at ${req.path}`, { status: 404 })));
  router.use("/ui", uiErrorPage(deps));
  return router;
}

/** Errors under /ui as a page (signed in: with the navigation), never JSON or a stack trace. */
function uiErrorPage(deps: UiDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = err instanceof AppError ? err.status : typeof (err as { status?: unknown })?.status === "number" && (err as { status: number }).status < 500 ? (err as { status: number }).status : 500;
    const message = err instanceof AppError || status < 500 ? String((err as Error).message) : "Something went wrong on the server; the log has the details.";
    if (status >= 500) deps.logger.error({ name: "ui-error", err, method: req.method, path: req.path }, "dashboard page failed");
    const signedIn = typeof res.locals["tenantId"] === "string";
    const body = html`<p class="error" role="alert">${message}</p><p><a href="/ui">Back to the overview</a></p>`;
    send(res, status, page({ title: status === 404 ? "Not found" : status === 403 ? "Refused" : "Error", section: null, body, ...(signedIn ? { ctx: contextOf(req, res) } : {}) }));
  };
}
