// The body of POST /v1/tasks (and seed 000's POST /submit): what a user submits as a task.
import { z } from "zod";
import { safeParseInput, invalidInput } from "../domain/input-safety.js";

export const TaskRequestSchema = z.strictObject({
  task_description: z.string({ message: "expected the task as a string" }).trim().min(1, "must not be empty").max(20_000, "at most 20000 characters"),
  total_budget_tokens: z.number({ message: "expected a positive integer" }).int("expected a positive integer").positive("expected a positive integer").max(10_000_000, "at most 10000000").optional(),
  /** Levels of sub-tasks for this task (seed 001); default config `orchestrator_max_depth`. */
  max_depth: z.number({ message: "expected an integer from 1 to 5" }).int("expected an integer from 1 to 5").min(1, "expected an integer from 1 to 5").max(5, "expected an integer from 1 to 5").optional(),
  /** Most parts of a split sub-task below the first level; default config `orchestrator_agents_per_level`. */
  agents_per_level: z.number({ message: "expected an integer from 1 to 16" }).int("expected an integer from 1 to 16").min(1, "expected an integer from 1 to 16").max(16, "expected an integer from 1 to 16").optional(),
});
export type TaskRequest = z.infer<typeof TaskRequestSchema>;

/** Validates a task request; the error names each bad field. */
export function parseTaskRequest(body: unknown): TaskRequest {
  const parsed = safeParseInput(TaskRequestSchema, body);
  if (!parsed.ok) throw invalidInput("task", parsed.issues);
  return parsed.value;
}
