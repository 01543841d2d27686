// /v1/heuristics: the tenant's shared heuristics library (list with Q-values, sources and where
// used; the team learning report; a refresh on demand). Thin: parse, call one use case, answer.
import { Router } from "express";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import { parseInput } from "../../domain/input-safety.js";
import { describeLibrary, teamLearningReport } from "../../heuristics/describe-library.js";
import { refreshHeuristics } from "../../heuristics/refresh-heuristics.js";
import type { HeuristicsSettings } from "../../heuristics/settings.js";
import type { ChatModel } from "../../llm/chat-model.js";
import type { Logger } from "../../log/logger.js";
import { jsonBody } from "../tenant-selection.js";
import { tenantOf } from "../tenant.js";

export interface HeuristicRoutesDeps {
  db: Pick<Database, "forTenant">;
  logger: Logger;
  settings: HeuristicsSettings;
  /** For reflections on failed runs during a refresh; without it only findings become heuristics. */
  model?: ChatModel;
}

const ListQuerySchema = z.object({ status: z.enum(["active", "retired"]).optional() }).strict();
const RefreshBodySchema = z.object({ agent: z.string().min(1).max(200).optional() }).strict();

export function heuristicRoutes(deps: HeuristicRoutesDeps): Router {
  const router = Router();
  router.get("/v1/heuristics", async (req, res) => {
    const q = parseInput(ListQuerySchema, req.query, "query");
    res.json(await describeLibrary(deps.db, tenantOf(res), { capacity: deps.settings.replayCapacity, ...(q.status ? { status: q.status } : {}) }));
  });
  router.get("/v1/heuristics/report", async (_req, res) => {
    const view = await describeLibrary(deps.db, tenantOf(res), { capacity: deps.settings.replayCapacity });
    res.json({ report: teamLearningReport(view), ...view });
  });
  router.post("/v1/heuristics/refresh", jsonBody("16kb"), async (req, res) => {
    const body = parseInput(RefreshBodySchema, req.body ?? {}, "body");
    res.json(await refreshHeuristics({ db: deps.db, logger: deps.logger, settings: deps.settings, ...(deps.model ? { model: deps.model } : {}) }, { tenant: tenantOf(res), ...(body.agent ? { agent: body.agent } : {}) }));
  });
  return router;
}
