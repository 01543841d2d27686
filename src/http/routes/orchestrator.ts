// Orchestrator routes: run one signature, list served signatures. Each handler is one use-case
// call. Hierarchical tasks have their own routes (tasks.ts).
import express, { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import type { Orchestrator } from "../../orchestrator/create-orchestrator.js";
import { parseSignatureRunRequest } from "../../orchestrator/signature-run-request.js";

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
    const body = parseSignatureRunRequest(req.body);
    const run = await orchestrator.runSignature(req.params.name, body.inputs, { tenant: tenantOf(res), ...(body.version ? { version: body.version } : {}) });
    res.json(run);
  });

  return router;
}
