// GET /v1/patterns: the latest patterns of the tenant's agents, filtered, with seed 003's
// pattern summary; POST /v1/analyze runs the analyzer.
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import { ValidationError } from "../../errors.js";
import { formatZodIssues } from "../../domain/format-issues.js";
import { PatternFilterSchema, getPatternSummary } from "../../analyzer/list-patterns.js";
import { analyzeAll } from "../../analyzer/analyze-agent.js";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import type { Embedder } from "../../llm/embedder.js";

export interface PatternRoutesDeps {
  db: Database;
  logger: Logger;
  minTraces: number;
  confidenceThreshold: number;
  windowDays: number;
  /** Intent grouping of traces without a task key (the service's embedder). Default: none. */
  intents?: { embedder: Embedder; sampleSize?: number };
}

const AnalyzeBodySchema = z.object({ agent: z.string().min(1).max(200).optional(), full: z.boolean().optional(), windowDays: z.number().int().min(0).optional() }).strict();

export function patternRoutes(deps: PatternRoutesDeps): Router {
  const router = Router();
  router.get("/v1/patterns", async (req, res) => {
    const parsed = PatternFilterSchema.strict().safeParse(req.query);
    if (!parsed.success) throw new ValidationError(`Invalid query: ${formatZodIssues(parsed.error.issues)}`, parsed.error.issues);
    const { patterns, summary, strata } = await getPatternSummary(deps.db, { ...parsed.data, tenant: tenantOf(res), confidenceThreshold: deps.confidenceThreshold });
    res.json({ summary, patterns, strata });
  });
  router.post("/v1/analyze", jsonBody("16kb"), async (req, res) => {
    const parsed = AnalyzeBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError(`Invalid body: ${formatZodIssues(parsed.error.issues)}`, parsed.error.issues);
    const { agent, full, windowDays } = parsed.data;
    const results = await analyzeAll(deps.db, {
      tenant: tenantOf(res),
      ...(agent ? { agents: [agent] } : {}),
      full,
      windowDays: windowDays ?? deps.windowDays,
      minTraces: deps.minTraces,
      confidenceThreshold: deps.confidenceThreshold,
      ...(deps.intents ? { intents: deps.intents } : {}),
      logger: deps.logger,
    });
    res.json({ runs: results.map(({ patterns: _patterns, ...run }) => run) });
  });
  return router;
}
