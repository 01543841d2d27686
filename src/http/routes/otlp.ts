// POST /otlp/v1/traces: OTLP/HTTP JSON, so an OpenTelemetry exporter pointed at
// http://HOST:PORT/otlp delivers GenAI spans as traces. Protobuf is refused with 415 (configure
// the exporter for JSON: OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
import express, { Router } from "express";
import type pg from "pg";
import type { Logger } from "../../log/logger.js";
import { AppError } from "../../errors.js";
import { tenantOf } from "../tenant.js";
import { ingestOtlp } from "../../collector/otlp/ingest-otlp.js";
import { recordIngest, recordRejected } from "../../observability/metrics.js";

export interface OtlpRoutesDeps {
  pool: pg.Pool;
  logger: Logger;
  /** Largest accepted body in bytes. Default 5 MiB. */
  maxBodyBytes?: number;
  maxToolResponseChars?: number;
}

export function otlpRoutes(deps: OtlpRoutesDeps): Router {
  const router = Router();
  router.post("/otlp/v1/traces", (req, _res, next) => {
    if (req.is("application/x-protobuf") || req.is("application/protobuf")) {
      return next(new AppError("unsupported_media_type", "OTLP protobuf is not supported; send OTLP/HTTP JSON (content-type application/json, OTEL_EXPORTER_OTLP_PROTOCOL=http/json)", { status: 415 }));
    }
    next();
  }, express.json({ limit: deps.maxBodyBytes ?? 5 * 1024 * 1024 }), async (req, res) => {
    const tenant = tenantOf(res);
    const t0 = performance.now();
    const result = await ingestOtlp(deps.pool, tenant, req.body, { maxToolResponseChars: deps.maxToolResponseChars });
    recordIngest("otlp", result.traces ?? 0, (performance.now() - t0) / 1000);
    if (result.partialSuccess) recordRejected("otlp", "validation", result.partialSuccess.rejectedSpans);
    if (result.partialSuccess) deps.logger.warn({ name: "otlp-spans-rejected", tenant, ...result.partialSuccess }, "some OTLP spans were rejected");
    res.json(result.partialSuccess ? { partialSuccess: result.partialSuccess } : {});
  });
  return router;
}
