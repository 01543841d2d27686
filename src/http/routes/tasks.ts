// Hierarchical task routes: submit a task (POST /v1/tasks and seed 000's POST /submit) and read
// one. Each handler is one use-case call.
import express, { Router } from "express";
import { tenantOf } from "../tenant.js";
import type { TaskRunner } from "../../tasks/create-task-runner.js";
import { parseTaskRequest } from "../../tasks/task-request.js";

export interface TaskRoutesDeps {
  tasks: TaskRunner;
  /** Budget of a task submitted without total_budget_tokens (config `default_task_budget_tokens`). */
  defaultTaskBudgetTokens: number;
}

export function taskRoutes(deps: TaskRoutesDeps): Router {
  const router = Router();
  const json = express.json({ limit: "1mb" });
  const { tasks } = deps;

  const submit: express.RequestHandler = async (req, res) => {
    const body = parseTaskRequest(req.body);
    const result = await tasks.runTask({ tenant: tenantOf(res), taskDescription: body.task_description, totalBudgetTokens: body.total_budget_tokens ?? deps.defaultTaskBudgetTokens });
    res.status(result.status === "failed" ? 502 : 200).json(result);
  };
  router.post("/v1/tasks", json, submit);
  router.post("/submit", json, submit);

  router.get("/v1/tasks/:id", async (req, res) => {
    res.json(await tasks.store.get(tenantOf(res), req.params.id));
  });

  return router;
}
