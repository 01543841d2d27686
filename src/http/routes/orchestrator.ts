// Orchestrator routes: run one signature, submit a hierarchical task (POST /v1/tasks and seed
// 000's POST /submit), read a task, list served signatures. Each handler is one use-case call.
import express, { Router } from "express";
import { jsonBody } from "../tenant-selection.js";
import type { Logger } from "../../log/logger.js";
import { tenantOf } from "../tenant.js";
import type { Orchestrator } from "../../orchestrator/create-orchestrator.js";
import { parseSignatureRunRequest } from "../../orchestrator/signature-run-request.js";
import { parseTaskRequest } from "../../orchestrator/task-request.js";
import { parseInput } from "../../domain/input-safety.js";
import { z } from "zod";

const NameParams = z.object({ name: z.string().min(1).max(200) });
const IdParams = z.object({ id: z.string().min(1).max(200) });

export interface OrchestratorRoutesDeps {
  orchestrator: Orchestrator;
  logger: Logger;
  /** Budget of a task submitted without total_budget_tokens (config `default_task_budget_tokens`). */
  defaultTaskBudgetTokens: number;
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
    const run = await orchestrator.runSignature(name, body.inputs, { tenant: tenantOf(res), ...(body.version ? { version: body.version } : {}) });
    res.json(run);
  });

  const submit: express.RequestHandler = async (req, res) => {
    const body = parseTaskRequest(req.body);
    const result = await orchestrator.runTask({ tenant: tenantOf(res), taskDescription: body.task_description, totalBudgetTokens: body.total_budget_tokens ?? deps.defaultTaskBudgetTokens });
    res.status(result.status === "failed" ? 502 : 200).json(result);
  };
  router.post("/v1/tasks", json, submit);
  router.post("/submit", json, submit);

  router.get("/v1/tasks/:id", async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    res.json(await orchestrator.tasks.get(tenantOf(res), id));
  });

  return router;
}
