// The guard of operator routes (GET /metrics): their answers count every tenant's data, so a
// tenant's API key does not open them. Open while the service needs no keys (loopback, none
// created); otherwise only `Authorization: Bearer <metrics_token>` does.
import { timingSafeEqual, createHash } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../errors.js";
import { isWellFormedApiKey } from "../tenancy/api-key.js";
import { bearerToken, UnauthorizedError } from "./api-key-auth.js";

export interface OperatorAuthOptions {
  /** `metrics_token`; unset: operator routes are closed once keys are required. */
  token?: string;
  /** Whether requests must present credentials now (shared with the API key check). */
  keysRequired: () => Promise<boolean>;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Middleware for routes that only the service's operator may read. */
export function operatorAuth(options: OperatorAuthOptions): RequestHandler {
  const expected = options.token === undefined ? undefined : digest(options.token);
  return async (req, res, next) => {
    try {
      const presented = bearerToken(req.headers.authorization);
      if (presented !== undefined && expected !== undefined && timingSafeEqual(digest(presented), expected)) return next();
      if (presented === undefined && !(await options.keysRequired())) return next();
      if (presented === undefined || expected === undefined) {
        res.setHeader("WWW-Authenticate", "Bearer");
        return next(
          new UnauthorizedError(
            expected === undefined
              ? "This route counts every tenant's data and is closed while API keys are in use: set metrics_token (META_AGENT_METRICS_TOKEN) and scrape with `Authorization: Bearer <metrics_token>`"
              : "This route needs `Authorization: Bearer <metrics_token>`",
          ),
        );
      }
      if (isWellFormedApiKey(presented)) return next(new AppError("forbidden", "This route needs the metrics token, not an API key: it counts every tenant's data", { status: 403 }));
      res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
      next(new UnauthorizedError("The metrics token is wrong"));
    } catch (e) {
      next(e);
    }
  };
}
