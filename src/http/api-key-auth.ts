// API-key authentication: replaces `defaultTenant` when the service runs. When any key is
// active (or the server listens beyond loopback), every /v1, /otlp and /submit request needs
// `Authorization: Bearer <key>` and acts for that key's tenant; otherwise requests act for the
// `default` tenant, which is safe because the server then only listens on loopback.
import type { RequestHandler } from "express";
import type { Database } from "../db/database.js";
import { AppError } from "../errors.js";
import { authenticateApiKey } from "../tenancy/authenticate-api-key.js";
import { hasActiveApiKeys } from "../tenancy/list-api-keys.js";
import { DEFAULT_TENANT } from "./tenant.js";

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

class UnauthorizedError extends AppError {
  constructor(message: string) {
    super("unauthorized", message, { status: 401 });
  }
}

// `/submit` is seed 000's alias of POST /v1/tasks and acts for a tenant like the rest.
const PROTECTED = /^\/(v1|otlp|submit)(\/|$)/;

/** Express middleware setting `res.locals.tenantId` from the request's API key. */
export function apiKeyAuth(options: ApiKeyAuthOptions): RequestHandler {
  const ttl = options.keysCheckTtlMs ?? 1_000;
  let cached: { value: boolean; at: number } | undefined;
  const keysRequired = async () => {
    if (options.alwaysRequireKey) return true;
    if (!cached || Date.now() - cached.at > ttl) cached = { value: await hasActiveApiKeys(options.db), at: Date.now() };
    return cached.value;
  };
  return async (req, res, next) => {
    try {
      const header = req.headers.authorization;
      const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
      if (!PROTECTED.test(req.path)) {
        res.locals["tenantId"] = DEFAULT_TENANT;
        return next();
      }
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
