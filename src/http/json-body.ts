// JSON request bodies, read the same way on every route: a body of another media type is 415
// (not a confusing "received undefined" from the route's schema), bytes that are not UTF-8 are
// 400 (body-parser would otherwise decode them to U+FFFD and the trace would be stored changed),
// and the size limit is the route's.
import express, { type RequestHandler } from "express";
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

/**
 * Middleware for a route with a JSON body: 415 unless `Content-Type: application/json` (or
 * `+json`), 400 for bytes that are not UTF-8 or text that is not JSON, 413 past `limit`.
 * `limit` is bytes or a size string such as "16kb".
 */
export function jsonBody(limit: number | string): RequestHandler[] {
  return [
    requireMediaType(["application/json", "application/*+json"], "This route takes a JSON body: send Content-Type: application/json"),
    express.json({ limit, type: ["application/json", "application/*+json"], verify: verifyUtf8 }),
  ];
}
