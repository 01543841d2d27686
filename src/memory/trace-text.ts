// The text a trace is embedded by: its input (what the agent was asked), else its problem
// context. Dev-set inputs go through the same function so queries and traces are comparable.
import { normalizeInputs } from "./normalize-inputs.js";

/** Normalized text of a trace input or problem; undefined when there is nothing to embed. */
export function traceText(input: unknown, problem?: unknown): string | undefined {
  const source = input ?? problem;
  if (source === null || source === undefined) return undefined;
  const text =
    typeof source === "string" ? normalizeInputs(source).text : typeof source === "object" && !Array.isArray(source) ? normalizeInputs(source as Record<string, unknown>).text : normalizeInputs({ input: source }).text;
  return text.length > 0 ? text : undefined;
}
