// /v1/canaries: the tenant's canary releases with their live evidence, one canary, and an
// on-demand check (the service also checks every canary_check_interval seconds). Thin: parse,
// call one use case with the request's tenant, answer JSON. docs/evaluation.md shows the shape.
import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../../domain/input-safety.js";
import { NotFoundError } from "../../errors.js";
import { checkCanaries, listCanaryStatus, type CheckCanariesDeps } from "../../learning/canary/check-canaries.js";
import { tenantOf } from "../tenant.js";

const IdParams = z.object({ id: z.string().uuid("must be a canary id") });
export const CanaryListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

export function canaryRoutes(deps: CheckCanariesDeps & { rollout: string }): Router {
  const router = Router();
  router.get("/v1/canaries", async (req, res) => {
    const q = parseInput(CanaryListQuery, req.query, "query");
    const canaries = await listCanaryStatus(deps, tenantOf(res), q.limit ? { limit: q.limit } : {});
    res.json({ rollout: deps.rollout, canaries });
  });
  router.get("/v1/canaries/:id", async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    const canary = (await listCanaryStatus(deps, tenantOf(res), { limit: 500 })).find((c) => c.id === id);
    if (!canary) throw new NotFoundError(`No canary ${id}`);
    res.json(canary);
  });
  router.post("/v1/canaries/check", async (_req, res) => {
    const checks = await checkCanaries(deps, { tenant: tenantOf(res) });
    res.json({ checks: checks.map((c) => ({ id: c.canary.id, signature: c.canary.signature, action: c.action, status: c.canary.status, decision: c.canary.decision, evidence: c.evidence })) });
  });
  return router;
}
