// Trace ingest and read routes: POST /v1/traces (batch, per-item results), GET /v1/traces,
// GET /v1/traces/:id and POST /v1/traces/:id/outcome. Each handler is one use-case call.
import type { PriceTable } from "../../domain/model-prices.js";
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { tenantDb, tenantOf } from "../tenant.js";
import { ingestTraces, parseEnvelope } from "../../collector/ingest/ingest-traces.js";
import { listTraces, type ListTracesQuery } from "../../collector/query/list-traces.js";
import { getTrace } from "../../collector/query/get-trace.js";
import { setTraceOutcome } from "../../collector/query/set-trace-outcome.js";
import { recordIngest, recordRejected } from "../../observability/metrics.js";
import { parseInput } from "../../domain/input-safety.js";
import { z } from "zod";

const IdParams = z.object({ id: z.string().min(1).max(200, "at most 200 characters") });

export interface TraceRoutesDeps {
  /** The service's database; use cases get the request tenant's scope of it (tenantDb). */
  db: Pick<Database, "forTenant">;
  logger: Logger;
  /** Largest accepted body in bytes (`ingest_max_body_bytes`). Default 5 MiB. */
  maxBodyBytes?: number;
  /** Most traces per batch (`ingest_max_traces`). Default 1000. */
  maxTraces?: number;
  /** `max_tool_response_chars`. Default 10000. */
  maxToolResponseChars?: number;
  /** Config `model_prices` (domain/model-prices.ts). */
  prices?: PriceTable;
}

export function traceRoutes(deps: TraceRoutesDeps): Router {
  const router = Router();
  const json = jsonBody(deps.maxBodyBytes ?? 5 * 1024 * 1024);

  router.post("/v1/traces", json, async (req, res) => {
    const tenant = tenantOf(res);
    const t0 = performance.now();
    const items = parseEnvelope(req.body, deps.maxTraces ?? 1000);
    const result = await ingestTraces(tenantDb(res, deps.db).pool, tenant, items, {
      maxToolResponseChars: deps.maxToolResponseChars,
      ...(deps.prices ? { prices: deps.prices } : {}),
      onStoreFailure: (f) => deps.logger.error({ name: "trace-store-failed", tenant, id: f.id, detail: f.detail }, "the database refused a validated trace"),
    });
    recordIngest(tenant, "http", result.accepted, (performance.now() - t0) / 1000);
    if (result.rejected > 0) recordRejected(tenant, "http", "validation", result.rejected);
    const log = result.rejected > 0 ? "trace-batch-rejected" : "trace-batch-ingested";
    deps.logger.info({ name: log, tenant, items: items.length, accepted: result.accepted, rejected: result.rejected }, "trace batch");
    res.status(result.rejected > 0 ? 207 : 200).json(result);
  });

  router.get("/v1/traces", async (req, res) => {
    res.json(await listTraces(tenantDb(res, deps.db).pool, tenantOf(res), req.query as ListTracesQuery));
  });

  router.get("/v1/traces/:id", async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    res.json(await getTrace(tenantDb(res, deps.db).pool, tenantOf(res), id));
  });

  router.post("/v1/traces/:id/outcome", json, async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    const trace = await setTraceOutcome(tenantDb(res, deps.db).pool, tenantOf(res), id, req.body);
    deps.logger.info({ name: "trace-outcome-set", tenant: tenantOf(res), id: trace.id, success: trace.outcome?.success }, "outcome set");
    res.json(trace);
  });

  return router;
}
