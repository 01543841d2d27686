// POST /otlp/v1/traces: OTLP/HTTP, JSON or protobuf, so an OpenTelemetry exporter pointed at
// http://HOST:PORT/otlp delivers GenAI spans as traces. A protobuf request gets a protobuf
// ExportTraceServiceResponse, a JSON one a JSON response, as the OTLP specification asks.
import type { PriceTable } from "../../domain/model-prices.js";
import express, { Router } from "express";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { AppError } from "../../errors.js";
import { tenantDb, tenantOf } from "../tenant.js";
import { verifyUtf8 } from "../json-body.js";
import { ingestOtlp } from "../../collector/otlp/ingest-otlp.js";
import { OTLP_PROTOBUF_TYPES, decodeOtlpProtobuf, encodeOtlpResponse } from "../../collector/otlp/otlp-protobuf.js";
import { recordIngest, recordRejected } from "../../observability/metrics.js";

export interface OtlpRoutesDeps {
  /** The service's database; use cases get the request tenant's scope of it (tenantDb). */
  db: Pick<Database, "forTenant">;
  logger: Logger;
  /** Largest accepted body in bytes. Default 5 MiB. */
  maxBodyBytes?: number;
  maxToolResponseChars?: number;
  /** Config `model_prices` (domain/model-prices.ts). */
  prices?: PriceTable;
}

export function otlpRoutes(deps: OtlpRoutesDeps): Router {
  const router = Router();
  const limit = deps.maxBodyBytes ?? 5 * 1024 * 1024;
  router.post(
    "/otlp/v1/traces",
    (req, _res, next) => {
      if (req.is(["application/json", ...OTLP_PROTOBUF_TYPES])) return next();
      next(new AppError("unsupported_media_type", "OTLP/HTTP takes application/json or application/x-protobuf", { status: 415 }));
    },
    express.raw({ type: OTLP_PROTOBUF_TYPES, limit }),
    express.json({ limit, verify: verifyUtf8 }),
    async (req, res) => {
      const tenant = tenantOf(res);
      const t0 = performance.now();
      const protobuf = Buffer.isBuffer(req.body);
      const body: unknown = protobuf ? decodeOtlpProtobuf(req.body as Buffer) : req.body;
      const result = await ingestOtlp(tenantDb(res, deps.db).pool, tenant, body, { maxToolResponseChars: deps.maxToolResponseChars, ...(deps.prices ? { prices: deps.prices } : {}) });
      recordIngest(tenant, "otlp", result.traces ?? 0, (performance.now() - t0) / 1000);
      if (result.partialSuccess) recordRejected(tenant, "otlp", "validation", result.partialSuccess.rejectedSpans);
      if (result.partialSuccess) deps.logger.warn({ name: "otlp-spans-rejected", tenant, ...result.partialSuccess }, "some OTLP spans were rejected");
      if (protobuf) res.type("application/x-protobuf").send(Buffer.from(encodeOtlpResponse(result)));
      else res.json(result.partialSuccess ? { partialSuccess: result.partialSuccess } : {});
    },
  );
  return router;
}
