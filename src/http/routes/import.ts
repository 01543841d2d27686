// POST /v1/import: streams an OpenAI chat-format log (JSONL or a JSON array) or trace files
// from the request body into the store; options come from the query string.
import { Router } from "express";
import { z } from "zod";
import type pg from "pg";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import { ValidationError } from "../../errors.js";
import { issuePath } from "../../domain/format-issues.js";
import { importTraces } from "../../collector/importers/import-traces.js";
import { recordIngest, recordRejected } from "../../observability/metrics.js";

const ImportQuerySchema = z.object({
  agent: z.string().min(1).max(200).optional(),
  messagesField: z.string().min(1).default("messages"),
  outcomeField: z.string().min(1).default("outcome"),
  taskField: z.string().min(1).max(200).optional(),
  successThreshold: z.coerce.number({ message: "expected a number" }).default(0.5),
  errorPattern: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s, "i");
        return true;
      } catch {
        return false;
      }
    }, "expected a regular expression")
    .optional(),
});

export interface ImportRoutesDeps {
  pool: pg.Pool;
  logger: Logger;
  maxToolResponseChars?: number;
}

export function importRoutes(deps: ImportRoutesDeps): Router {
  const router = Router();
  router.post("/v1/import", async (req, res) => {
    const q = ImportQuerySchema.safeParse(req.query);
    if (!q.success) throw new ValidationError("Invalid import options", q.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
    const { errorPattern, ...rest } = q.data;
    const tenant = tenantOf(res);
    const t0 = performance.now();
    try {
      const summary = await importTraces(deps.pool, tenant, req, {
        ...rest,
        ...(errorPattern !== undefined ? { errorPattern: new RegExp(errorPattern, "i") } : {}),
        defaultStartedAt: new Date().toISOString(),
        ...(deps.maxToolResponseChars !== undefined ? { maxToolResponseChars: deps.maxToolResponseChars } : {}),
      });
      recordIngest(tenant, "import", summary.imported + summary.updated, (performance.now() - t0) / 1000);
      if (summary.invalid > 0) recordRejected(tenant, "import", "validation", summary.invalid);
      deps.logger.info({ name: "traces-imported", tenant, ...summary, errors: undefined }, "import finished");
      res.json(summary);
    } catch (e) {
      if (e instanceof SyntaxError) throw new ValidationError(`Request body is neither JSON nor JSON Lines: ${e.message}`);
      throw e;
    }
  });
  return router;
}
