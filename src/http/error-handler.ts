// JSON errors for every failure; never leaks a stack trace to the client.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, DatabaseUnavailableError } from "../errors.js";
import { isConnectionError } from "../db/connection-errors.js";
import type { Logger } from "../log/logger.js";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: "not_found", message: `No route for ${req.method} ${req.path}` } } satisfies ErrorBody);
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const body = toErrorBody(err);
    // A 503 is an expected state (no model configured, database down): one line, no stack trace.
    if (body.status === 503) logger.warn({ name: "http-unavailable", code: body.error.code, method: req.method, path: req.path }, body.error.message);
    else if (body.status >= 500) logger.error({ name: "http-error", err, method: req.method, path: req.path }, "request failed");
    if (body.retryAfter !== undefined) res.setHeader("Retry-After", String(body.retryAfter));
    res.status(body.status).json({ error: body.error } satisfies ErrorBody);
  };
}

/** Seconds a client should wait before retrying a 503 (database down, shutting down...). */
export const RETRY_AFTER_SECONDS = 5;

function toErrorBody(err: unknown): { status: number; error: ErrorBody["error"]; retryAfter?: number } {
  // Any route that reaches an unreachable database answers 503 + Retry-After, not 500.
  if (!(err instanceof AppError) && isConnectionError(err)) err = new DatabaseUnavailableError("The database is unavailable. Retry later.", err);
  if (err instanceof AppError) {
    return {
      status: err.status,
      error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) },
      ...(err.isRetryable && err.status === 503 ? { retryAfter: RETRY_AFTER_SECONDS } : {}),
    };
  }
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  // body-parser's errors carry `type` and a 4xx `status`.
  if (e?.type === "entity.parse.failed") return { status: 400, error: { code: "malformed_json", message: `Request body is not valid JSON: ${e.message}` } };
  if (e?.type === "body.invalid_utf8") return { status: 400, error: { code: "invalid_utf8", message: "The request body is not valid UTF-8: send text as UTF-8 (invalid bytes would be stored as U+FFFD)" } };
  if (e?.type === "entity.too.large") return { status: 413, error: { code: "payload_too_large", message: `Request body exceeds the limit of ${e.limit} bytes` } };
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return { status: e.status, error: { code: e.type ?? "bad_request", message: e.message ?? "Bad request" } };
  }
  return { status: 500, error: { code: "internal", message: "Internal server error" } };
}
