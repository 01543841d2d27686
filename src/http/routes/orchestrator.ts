// Orchestrator routes: run one signature, list served signatures. Each handler is one use-case
// call. Hierarchical tasks have their own routes (tasks.ts).
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import type { Orchestrator } from "../../orchestrator/create-orchestrator.js";
import { parseSignatureRunRequest } from "../../orchestrator/signature-run-request.js";
import { parseInput } from "../../domain/input-safety.js";
import { z } from "zod";

const NameParams = z.object({ name: z.string().min(1).max(200) });

export interface OrchestratorRoutesDeps {
  orchestrator: Orchestrator;
  logger: Logger;
}

export function orchestratorRoutes(deps: OrchestratorRoutesDeps): Router {
  const router = Router();
  const json = jsonBody("1mb");
  const { orchestrator } = deps;

  router.get("/v1/signatures", async (_req, res) => {
    res.json({ signatures: await orchestrator.registry.list(tenantOf(res)) });
  });

  router.post("/v1/signatures/:name/run", json, async (req, res) => {
    const { name } = parseInput(NameParams, req.params, "path");
    const body = parseSignatureRunRequest(req.body);
    const run = await orchestrator.runSignature(name, body.inputs, { tenant: tenantOf(res), ...(body.version ? { version: body.version } : {}), ...(body.canaryKey ? { canaryKey: body.canaryKey } : {}) });
    res.json(run);
  });

  return router;
}
