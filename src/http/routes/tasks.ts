// Hierarchical task routes: submit a task (POST /v1/tasks and seed 000's POST /submit) and read
// one. Each handler is one use-case call.
import type express from "express";
import { Router } from "express";
import { z } from "zod";
import { jsonBody } from "../tenant-selection.js";
import { parseInput } from "../../domain/input-safety.js";
import { tenantOf } from "../tenant.js";
import type { TaskRunner } from "../../tasks/create-task-runner.js";
import { parseTaskRequest } from "../../tasks/task-request.js";

const IdParams = z.object({ id: z.string().min(1).max(200) });

export interface TaskRoutesDeps {
  tasks: TaskRunner;
  /** Budget of a task submitted without total_budget_tokens (config `default_task_budget_tokens`). */
  defaultTaskBudgetTokens: number;
}

export function taskRoutes(deps: TaskRoutesDeps): Router {
  const router = Router();
  const json = jsonBody("1mb");
  const { tasks } = deps;

  const submit: express.RequestHandler = async (req, res) => {
    const body = parseTaskRequest(req.body);
    const result = await tasks.runTask({ tenant: tenantOf(res), taskDescription: body.task_description, totalBudgetTokens: body.total_budget_tokens ?? deps.defaultTaskBudgetTokens, ...(body.max_depth !== undefined ? { maxDepth: body.max_depth } : {}), ...(body.agents_per_level !== undefined ? { agentsPerLevel: body.agents_per_level } : {}) });
    res.status(result.status === "failed" ? 502 : 200).json(result);
  };
  router.post("/v1/tasks", json, submit);
  router.post("/submit", json, submit);

  router.get("/v1/tasks/:id", async (req, res) => {
    const { id } = parseInput(IdParams, req.params, "path");
    res.json(await tasks.store.get(tenantOf(res), id));
  });

  return router;
}
