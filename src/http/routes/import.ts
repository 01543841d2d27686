// POST /v1/import: streams an OpenAI chat-format log (JSONL or a JSON array) or trace files
// from the request body into the store; options come from the query string. Every upload is
// recorded in `imports` before its body is read, and its id is sent at once in a 103 Early Hints
// response (`Import-Id`, `Link: </v1/imports/ID>; rel="monitor"`), so a client whose upload is
// cut off can still ask what was stored: GET /v1/imports/:id (GET /v1/imports lists them).
import type { PriceTable } from "../../domain/model-prices.js";
import { Router } from "express";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { tenantDb, tenantOf } from "../tenant.js";
import { AppError, NotFoundError } from "../../errors.js";
import { parseInput } from "../../domain/input-safety.js";
import { importTraces, ImportInterruptedError, type ImportSummary } from "../../collector/importers/import-traces.js";
import { compileErrorPattern, errorPatternProblem } from "../../collector/importers/error-pattern.js";
import { getImportRecord, listImportRecords, startImportRecord, updateImportRecord } from "../../collector/importers/import-records.js";
import { recordIngest, recordRejected } from "../../observability/metrics.js";

const field = z.string().min(1).max(200);
export const ImportQuerySchema = z.object({
  agent: field.optional(),
  messagesField: field.default("messages"),
  outcomeField: field.default("outcome"),
  taskField: field.optional(),
  successThreshold: z.coerce.number({ message: "expected a number" }).refine(Number.isFinite, "expected a finite number").default(0.5),
  errorPattern: z
    .string()
    .superRefine((s, ctx) => {
      const problem = errorPatternProblem(s);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
});
const IdParams = z.object({ id: z.string().min(1).max(200) });
const ListQuery = z.object({ limit: z.coerce.number({ message: "expected an integer between 1 and 200" }).int().min(1).max(200).default(20) });

export interface ImportRoutesDeps {
  /** The service's database; use cases get the request tenant's scope of it (tenantDb). */
  db: Pick<Database, "forTenant">;
  logger: Logger;
  maxToolResponseChars?: number;
  /** Config `model_prices` (domain/model-prices.ts). */
  prices?: PriceTable;
  /** Largest record in bytes (`ingest_max_body_bytes`, the trace body limit). Default 5 MiB. */
  maxRecordBytes?: number;
}

export function importRoutes(deps: ImportRoutesDeps): Router {
  const router = Router();
  router.post("/v1/import", async (req, res) => {
    const { errorPattern, ...rest } = parseInput(ImportQuerySchema, req.query, "import options");
    const tenant = tenantOf(res);
    const id = await startImportRecord(tenantDb(res, deps.db).pool, tenant);
    const location = `/v1/imports/${id}`;
    res.writeEarlyHints({ link: `<${location}>; rel="monitor"`, "import-id": id });
    const t0 = performance.now();
    let summary: ImportSummary;
    // What the last database write stored: the record of an import that fails midway.
    let stored: ImportSummary = { total: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, errors: [] };
    try {
      summary = await importTraces(tenantDb(res, deps.db).pool, tenant, req, {
        ...rest,
        ...(errorPattern !== undefined ? { errorPattern: compileErrorPattern(errorPattern) } : {}),
        defaultStartedAt: new Date().toISOString(),
        ...(deps.maxToolResponseChars !== undefined ? { maxToolResponseChars: deps.maxToolResponseChars } : {}),
        ...(deps.maxRecordBytes !== undefined ? { maxRecordBytes: deps.maxRecordBytes } : {}),
        ...(deps.prices ? { prices: deps.prices } : {}),
        onProgress: (s) => {
          stored = { ...s, errors: [...s.errors] };
          return updateImportRecord(tenantDb(res, deps.db).pool, tenant, id, s);
        },
        onStoreFailure: (f) => deps.logger.error({ name: "trace-store-failed", tenant, id: f.id, detail: f.detail }, "the database refused a validated trace"),
        onRecordError: (err, index) => deps.logger.error({ name: "import-record-failed", tenant, importId: id, index, err }, "an import record could not be converted"),
      });
    } catch (e) {
      if (e instanceof ImportInterruptedError) {
        await updateImportRecord(tenantDb(res, deps.db).pool, tenant, id, e.summary, { status: "interrupted", error: "the upload ended before its body was complete" });
        deps.logger.warn({ name: "import-interrupted", tenant, importId: id, total: e.summary.total, imported: e.summary.imported }, "import upload cut off");
        // Usually nobody is left to read this; a client that only half-closed its side still is.
        throw new AppError("upload_interrupted", `The upload ended before its body was complete; ${e.summary.total} records were read and handled. GET ${location} says what was stored.`, { status: 400, details: { id, ...e.summary } });
      }
      await updateImportRecord(tenantDb(res, deps.db).pool, tenant, id, stored, { status: "failed", error: e instanceof AppError ? e.message : "an internal error; the service log has the details" }).catch(() => undefined);
      throw e;
    }
    await updateImportRecord(tenantDb(res, deps.db).pool, tenant, id, summary, { status: "completed" });
    recordIngest(tenant, "import", summary.imported + summary.updated, (performance.now() - t0) / 1000);
    if (summary.invalid > 0) recordRejected(tenant, "import", "validation", summary.invalid);
    deps.logger.info({ name: "traces-imported", tenant, importId: id, ...summary, errors: undefined }, "import finished");
    res.setHeader("Location", location);
    res.json({ id, status: "completed", ...summary });
  });
  router.get("/v1/imports", async (req, res) => {
    const { limit } = parseInput(ListQuery, req.query, "query");
    res.json({ imports: await listImportRecords(tenantDb(res, deps.db).pool, tenantOf(res), limit) });
  });
  router.get("/v1/imports/:id", async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    const record = await getImportRecord(tenantDb(res, deps.db).pool, tenantOf(res), id);
    if (!record) throw new NotFoundError(`No import ${id}`);
    res.json(record);
  });
  return router;
}
