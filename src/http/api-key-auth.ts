// API-key authentication for every route mounted after it. There is no path check here: the app
// mounts its public routes (the health probes) before this middleware and everything else after
// it, so Express's own routing decides what is public and no spelling of a path can step around
// the check. When any key is active (or the server listens beyond loopback) a request needs
// `Authorization: Bearer <key>` and acts for that key's tenant; otherwise it acts for `default`,
// which is safe because the server then only listens on loopback.
import type { RequestHandler } from "express";
import type { Database } from "../db/database.js";
import { AppError } from "../errors.js";
import { authenticateApiKey } from "../tenancy/authenticate-api-key.js";
import { hasActiveApiKeys } from "../tenancy/list-api-keys.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";

export interface ApiKeyAuthOptions {
  db: Database;
  /** Require a key even when none exists (the server is reachable beyond loopback). Default false. */
  alwaysRequireKey?: boolean;
  /**
   * How long "are there any keys?" is remembered, in ms. Default 1000: a key created with the CLI
   * while the service runs takes effect within a second, without a query per request.
   */
  keysCheckTtlMs?: number;
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super("unauthorized", message, { status: 401 });
  }
}

/** The bearer token of a request, or undefined (no header, or not `Bearer <token>`). */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

/** True when requests must present a key: any key is active, or the server is public. Cached for `keysCheckTtlMs`. */
export function keysRequiredCheck(options: ApiKeyAuthOptions): () => Promise<boolean> {
  const ttl = options.keysCheckTtlMs ?? 1_000;
  let cached: { value: boolean; at: number } | undefined;
  return async () => {
    if (options.alwaysRequireKey) return true;
    if (!cached || Date.now() - cached.at > ttl) cached = { value: await hasActiveApiKeys(options.db), at: Date.now() };
    return cached.value;
  };
}

/** Express middleware setting `res.locals.tenantId` from the request's API key, for every request that reaches it. */
export function apiKeyAuth(options: ApiKeyAuthOptions, keysRequired = keysRequiredCheck(options)): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.headers.authorization;
      const bearer = bearerToken(header);
      if (bearer) {
        const auth = await authenticateApiKey(options.db, bearer);
        if (!auth) {
          res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
          return next(new UnauthorizedError("The API key is unknown or revoked"));
        }
        res.locals["tenantId"] = auth.tenant;
        res.locals["apiKeyId"] = auth.keyId;
        return next();
      }
      if (await keysRequired()) {
        res.setHeader("WWW-Authenticate", "Bearer");
        return next(new UnauthorizedError(header ? "Authorization must be `Bearer <API key>`" : "This server requires an API key: send `Authorization: Bearer <key>` (create one with `meta-agent keys create --tenant NAME`)"));
      }
      res.locals["tenantId"] = DEFAULT_TENANT;
      next();
    } catch (e) {
      next(e);
    }
  };
}
