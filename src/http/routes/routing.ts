// /v1/routing: the tenant's learned routing policy (docs/routing.md) — the served policy or one
// version, its history and diffs, training from the recorded traces, rollback, and a routing
// decision for a task text. Thin: parse, call one use case with the request's tenant, answer JSON.
import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../../domain/input-safety.js";
import { serializeRoutingPolicy } from "../../domain/routing-policy.js";
import { NotFoundError } from "../../errors.js";
import type { RoutingDeps } from "../../learning/create-routing-deps.js";
import { trainRoutingPolicy } from "../../learning/train-routing-policy.js";
import { diffRoutingPolicies } from "../../registry/diff-routing-policies.js";
import { rollbackRoutingPolicy } from "../../registry/rollback-routing-policy.js";
import { jsonBody } from "../tenant-selection.js";
import { tenantOf } from "../tenant.js";

const Version = z.coerce.number({ message: "expected a policy version (a positive integer)" }).int("expected a policy version (a positive integer)").positive("expected a policy version (a positive integer)");
export const RoutingShowQuery = z.object({ version: Version.optional() });
export const RoutingDiffQuery = z.object({ from: Version.optional(), to: Version.optional() });
export const RoutingTrainBody = z.object({ dry_run: z.boolean().optional() }).strict();
export const RoutingRollbackBody = z.object({ to: Version }).strict();
export const RoutingRouteBody = z.object({ text: z.string().min(1).max(100_000), intent: z.string().min(1).max(200).optional() }).strict();

export function routingRoutes(deps: RoutingDeps): Router {
  const router = Router();
  const json = jsonBody("256kb");

  router.get("/v1/routing/policy", async (req, res) => {
    const tenant = tenantOf(res);
    const { version } = parseInput(RoutingShowQuery, req.query, "query");
    const policy = version === undefined ? await deps.store.latest(tenant) : await deps.store.get(tenant, version);
    if (!policy) throw new NotFoundError(version === undefined ? `tenant ${tenant} has no routing policy yet: the fixed rule routes (cold start)` : `routing policy version ${version} of tenant ${tenant} not found`);
    const served = await deps.router.servedPolicy(tenant);
    res.json({ policy, content: serializeRoutingPolicy(policy), served: served?.version === policy.version });
  });

  router.get("/v1/routing/history", async (_req, res) => {
    const tenant = tenantOf(res);
    const served = await deps.router.servedPolicy(tenant);
    res.json({ versions: (await deps.store.list(tenant)).map((v) => ({ ...v, current: v.version === served?.version })) });
  });

  router.get("/v1/routing/diff", async (req, res) => {
    const q = parseInput(RoutingDiffQuery, req.query, "query");
    res.json(await diffRoutingPolicies(deps.store, { tenant: tenantOf(res), ...q }));
  });

  router.post("/v1/routing/train", json, async (req, res) => {
    const body = parseInput(RoutingTrainBody, req.body ?? {}, "body");
    const result = await trainRoutingPolicy(deps.training, deps, { tenant: tenantOf(res), dryRun: body.dry_run ?? false });
    res.status(result.ok && result.saved ? 201 : 200).json(result);
  });

  router.post("/v1/routing/rollback", json, async (req, res) => {
    const { to } = parseInput(RoutingRollbackBody, req.body, "body");
    res.status(201).json(await rollbackRoutingPolicy(deps.store, { tenant: tenantOf(res), to }));
  });

  router.post("/v1/routing/route", json, async (req, res) => {
    const body = parseInput(RoutingRouteBody, req.body, "body");
    res.json(await deps.router.choose(tenantOf(res), { text: body.text, intent: body.intent ?? "reason" }));
  });

  return router;
}
