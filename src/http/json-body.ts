// The parts of reading a request body that every route shares (jsonBody in tenant-selection.ts
// and the OTLP route use them): a body of another media type is 415 (not a confusing "received
// undefined" from the route's schema), and bytes that are not UTF-8 are 400 (body-parser would
// otherwise decode them to U+FFFD and the trace would be stored changed).
import type { RequestHandler } from "express";
import { isUtf8 } from "node:buffer";
import { AppError } from "../errors.js";

/** Thrown from body-parser's `verify` hook; error-handler.ts answers 400. */
export class InvalidUtf8Error extends Error {
  readonly type = "body.invalid_utf8";
  constructor() {
    super("The request body is not valid UTF-8");
  }
}

/** Rejects the body's bytes unless they are UTF-8 (body-parser's `verify` hook). */
export function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw new InvalidUtf8Error();
}

/** True when the request carries a body (a length above zero, or chunked). */
export const hasBody = (req: { headers: Record<string, string | string[] | undefined> }): boolean =>
  req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");

/** 415 for a body whose media type is not one of `types`; a request without a body passes. */
export function requireMediaType(types: string[], message: string): RequestHandler {
  return (req, _res, next) => {
    if (!hasBody(req) || req.is(types)) return next();
    next(new AppError("unsupported_media_type", message, { status: 415 }));
  };
}

/** Media types read as JSON bodies. */
export const JSON_TYPES = ["application/json", "application/*+json"];
