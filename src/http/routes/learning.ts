// /v1/learning: run a cycle, its history, the learning status and guideline history. Every
// handler passes the request's tenant to its use case.
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import { z } from "zod";
import type { Config } from "../../config/index.js";
import type { Database } from "../../db/database.js";
import type { Logger } from "../../log/logger.js";
import { AppError, NotFoundError } from "../../errors.js";
import { parseInput } from "../../domain/input-safety.js";
import type { LearningDeps, LearningTarget } from "../../learning/learning-deps.js";
import { runLearningCycle } from "../../learning/run-learning-cycle.js";
import { getLearningCycle, listLearningCycles } from "../../learning/list-learning-cycles.js";
import { getLearningStatus } from "../../learning/get-learning-status.js";
import { listCanaryStatus } from "../../learning/canary/check-canaries.js";
import { listGuidelineEvents } from "../../learning/list-guideline-events.js";
import { tenantOf } from "../tenant.js";

export interface LearningRoutesDeps {
  db: Database;
  logger: Logger;
  config: Pick<Config, "minTracesForAnalysis" | "maxLlmCallsPerCycle" | "devSetSize" | "rollout">;
  learning: LearningDeps;
  /** Aborted when the service stops: a cycle started over HTTP is then aborted like a scheduled one. */
  stopSignal?: AbortSignal;
}

export const RunCycleBody = z.object({ agent: z.string().min(1).max(200).optional() }).strict();
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(200).optional(),
});
const IdParams = z.object({ id: z.string().min(1).max(200) });
const SignatureParams = z.object({ signature: z.string().min(1).max(200) });

const parse = <T>(schema: z.ZodType<T>, value: unknown, where: string): T => parseInput(schema, value ?? {}, where);

export function learningRoutes(deps: LearningRoutesDeps): Router {
  const router = Router();
  router.post("/v1/learning/cycles", jsonBody("16kb"), async (req, res) => {
    const body = parse(RunCycleBody, req.body, "request body");
    const result = await runLearningCycle(
      { db: deps.db, logger: deps.logger, deps: deps.learning, config: deps.config },
      { tenant: tenantOf(res), trigger: "http", ...(body.agent ? { agent: body.agent } : {}), ...(deps.stopSignal ? { signal: deps.stopSignal } : {}) },
    );
    if (result.status === "skipped") throw new AppError("cycle_running", `Learning cycle skipped: ${result.reason}`, { status: 409, details: result });
    // Stopped by the service's shutdown: nothing was committed, the claim is released; retry later.
    if (result.status === "aborted") throw new AppError("cycle_aborted", result.cycle.reason ?? "aborted: the service is stopping", { status: 503, isRetryable: true, details: { cycle: result.cycle } });
    // A failed cycle is still a completed request: its record says what failed and why.
    res.json(result.cycle);
  });
  router.get("/v1/learning/cycles", async (req, res) => {
    const q = parse(ListQuery, req.query, "query");
    res.json(await listLearningCycles(deps.db, { tenant: tenantOf(res), ...q }));
  });
  router.get("/v1/learning/cycles/:id", async (req, res) => {
    const { id } = parse(IdParams, req.params, "path");
    const cycle = await getLearningCycle(deps.db, tenantOf(res), id);
    if (!cycle) throw new NotFoundError(`No learning cycle ${id}`);
    res.json(cycle);
  });
  router.get("/v1/learning/status", async (_req, res) => {
    const tenant = tenantOf(res);
    const targets = await deps.learning.listTargets(tenant);
    await deps.learning.syncVersions?.(tenant, targets.map((t) => t.signature));
    const measure = deps.learning.measureDevSet?.bind(deps.learning);
    const status = await getLearningStatus(deps.db, {
      tenant,
      minTracesForAnalysis: deps.config.minTracesForAnalysis,
      devSetSize: deps.config.devSetSize,
      targets,
      ...(measure ? { measureDevSet: (t: LearningTarget) => measure(tenant, t) } : {}),
    });
    // Canaries in flight, with their live evidence (GET /v1/canaries has every canary).
    const canaries = (await listCanaryStatus(deps, tenant)).filter((c) => c.status === "running" || c.status === "deciding");
    res.json({ ...status, rollout: deps.config.rollout, canaries });
  });
  router.get("/v1/learning/guidelines/:signature", async (req, res) => {
    const { signature } = parse(SignatureParams, req.params, "path");
    res.json({ signature, events: await listGuidelineEvents(deps.db, { tenant: tenantOf(res), signature }) });
  });
  return router;
}
