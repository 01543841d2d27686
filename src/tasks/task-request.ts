// The body of POST /v1/tasks (and seed 000's POST /submit): what a user submits as a task.
import { z } from "zod";
import { safeParseInput, invalidInput } from "../domain/input-safety.js";

export const TaskRequestSchema = z.strictObject({
  task_description: z.string({ message: "expected the task as a string" }).trim().min(1, "must not be empty").max(20_000, "at most 20000 characters"),
  total_budget_tokens: z.number({ message: "expected a positive integer" }).int("expected a positive integer").positive("expected a positive integer").max(10_000_000, "at most 10000000").optional(),
});
export type TaskRequest = z.infer<typeof TaskRequestSchema>;

/** Validates a task request; the error names each bad field. */
export function parseTaskRequest(body: unknown): TaskRequest {
  const parsed = safeParseInput(TaskRequestSchema, body);
  if (!parsed.ok) throw invalidInput("task", parsed.issues);
  return parsed.value;
}
