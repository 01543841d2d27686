// GET /v1/patterns: the latest patterns of the tenant's agents, filtered, with seed 003's
// pattern summary; POST /v1/analyze runs the analyzer.
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import { parseInput } from "../../domain/input-safety.js";
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

export const AnalyzeBodySchema = z.object({ agent: z.string().min(1).max(200).optional(), full: z.boolean().optional(), windowDays: z.number().int().min(0).max(36_500, "at most 36500 days").optional() }).strict();

export function patternRoutes(deps: PatternRoutesDeps): Router {
  const router = Router();
  router.get("/v1/patterns", async (req, res) => {
    const query = parseInput(PatternFilterSchema.strict(), req.query, "query");
    const { patterns, summary, strata } = await getPatternSummary(deps.db, { ...query, tenant: tenantOf(res), confidenceThreshold: deps.confidenceThreshold });
    res.json({ summary, patterns, strata });
  });
  router.post("/v1/analyze", jsonBody("16kb"), async (req, res) => {
    const { agent, full, windowDays } = parseInput(AnalyzeBodySchema, req.body ?? {}, "body");
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
