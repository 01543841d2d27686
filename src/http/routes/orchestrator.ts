// Orchestrator routes: run one signature, list served signatures, the served prompt of one (for
// agents that call their model themselves; ETag / If-None-Match makes an unchanged refresh a 304). Each handler is one use-case
// call. Hierarchical tasks have their own routes (tasks.ts).
import { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import type { Orchestrator } from "../../orchestrator/create-orchestrator.js";
import { parseSignatureRunRequest } from "../../orchestrator/signature-run-request.js";
import { parseInput } from "../../domain/input-safety.js";
import { z } from "zod";
import { getServedPrompt } from "../../orchestrator/get-served-prompt.js";

const NameParams = z.object({ name: z.string().min(1).max(200) });
const PromptQuery = z.object({ version: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3").optional() });

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

  router.get("/v1/prompts/:name", async (req, res) => {
    const { name } = parseInput(NameParams, req.params, "path");
    const { version } = parseInput(PromptQuery, req.query, "query");
    const prompt = await getServedPrompt(orchestrator.registry, { tenant: tenantOf(res), name, ...(version ? { version } : {}) });
    const etag = `"${prompt.contentHash}"`;
    res.setHeader("etag", etag);
    res.setHeader("cache-control", "no-cache");
    if (req.headers["if-none-match"] === etag) return void res.status(304).end();
    res.json(prompt);
  });

  router.post("/v1/signatures/:name/run", json, async (req, res) => {
    const { name } = parseInput(NameParams, req.params, "path");
    const body = parseSignatureRunRequest(req.body);
    const run = await orchestrator.runSignature(name, body.inputs, { tenant: tenantOf(res), ...(body.version ? { version: body.version } : {}), ...(body.canaryKey ? { canaryKey: body.canaryKey } : {}) });
    res.json(run);
  });

  return router;
}
