// The tenant comes from the API key and from nothing else. A request that tries to choose one —
// an `X-Tenant`-style header, a `tenant` query parameter, or a `tenant` field in a JSON body
// (top level, or on an item of a batch) — is refused with a clear 400 rather than silently
// ignored, so a client that believes it is writing for another tenant learns at once that it is
// not.
import express, { type RequestHandler } from "express";
import { AppError } from "../errors.js";
import { JSON_TYPES, requireMediaType, verifyUtf8 } from "./json-body.js";

const TENANT_NAME = /^(x-)?(meta-agent-)?tenant([-_]?id)?$/i;

export class TenantNotSelectableError extends AppError {
  constructor(where: string) {
    super("tenant_not_selectable", `${where}: the tenant comes from the API key only; remove it (use the key of the tenant you mean)`, { status: 400, details: { where } });
  }
}

/** App-level: refuses tenant-choosing headers and query parameters. */
export const rejectTenantSelection: RequestHandler = (req, _res, next) => {
  for (const name of Object.keys(req.headers)) if (TENANT_NAME.test(name)) return next(new TenantNotSelectableError(`header ${name}`));
  for (const name of Object.keys((req.query ?? {}) as Record<string, unknown>)) if (TENANT_NAME.test(name)) return next(new TenantNotSelectableError(`query parameter ${name}`));
  next();
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The path of a tenant-choosing field in a parsed JSON body (top level, or an item of a top-level array), or undefined. */
export function tenantFieldIn(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  for (const [key, value] of Object.entries(body)) {
    if (TENANT_NAME.test(key)) return key;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (isRecord(item)) for (const k of Object.keys(item)) if (TENANT_NAME.test(k)) return `${key}[${i}].${k}`;
      }
    }
  }
  return undefined;
}

/**
 * A JSON body, read the same way on every route, as one handler: 415 unless the body is
 * `application/json` (a request without a body passes), 400 for bytes that are not UTF-8 or text
 * that is not JSON, 413 past `limit` (bytes or a size string such as "16kb"); then the
 * tenant-field check. Every JSON route uses it.
 */
export function jsonBody(limit: number | string): ReturnType<typeof express.json> {
  const mediaType = requireMediaType(JSON_TYPES, "This route takes a JSON body: send Content-Type: application/json");
  const parse = express.json({ limit, type: JSON_TYPES, verify: verifyUtf8 });
  // Typed as express.json's own handler so routes keep their path-parameter types.
  return (req: Parameters<typeof parse>[0] & { body?: unknown }, res, next) => {
    // express.json's handler type names node's request; at run time it is express's (req.is exists).
    mediaType(req as unknown as Parameters<RequestHandler>[0], res as unknown as Parameters<RequestHandler>[1], (refused?: unknown) => {
      if (refused) return next(refused);
      parse(req, res, (err?: unknown) => {
        if (err) return next(err);
        const field = tenantFieldIn(req.body);
        next(field === undefined ? undefined : new TenantNotSelectableError(`body field ${field}`));
      });
    });
  };
}
