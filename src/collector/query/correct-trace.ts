// A correction recorded on a stored trace: the output the run should have produced becomes the
// outcome's `expected`, the rest of the outcome (success, score, feedback) kept unless given.
// What `meta-agent traces correct` calls; the HTTP door is POST /v1/traces/:id/outcome.
import type pg from "pg";
import { ValidationError } from "../../errors.js";
import type { Outcome } from "../../domain/trace.js";
import { getTrace, type StoredTrace } from "./get-trace.js";
import { setTraceOutcome } from "./set-trace-outcome.js";

export interface CorrectTraceInput {
  /** The right output, as JSON text (an object of the signature's output fields). */
  expectedJson: string;
  /** Replaces the outcome's feedback. Default: kept. */
  feedback?: string;
  /** Replaces the outcome's success flag. Default: kept, or false when the trace has no outcome. */
  success?: boolean;
}

/** Parses `expectedJson` and stores it as trace `id`'s correction, keeping the rest of its outcome. */
export async function correctTrace(pool: pg.Pool, tenant: string, id: string, input: CorrectTraceInput): Promise<StoredTrace> {
  let expected: unknown;
  try {
    expected = JSON.parse(input.expectedJson);
  } catch (e) {
    throw new ValidationError(`Invalid expected: not JSON (${(e as Error).message}); give the right output as a JSON object, e.g. '{"faultType":"network"}'`, [{ path: "expected", message: "not JSON" }]);
  }
  const current = (await getTrace(pool, tenant, id)).outcome;
  const outcome = {
    ...(current ?? { success: false }),
    ...(input.success !== undefined ? { success: input.success } : {}),
    ...(input.feedback !== undefined ? { feedback: input.feedback } : {}),
    expected,
  } as Outcome;
  // setTraceOutcome validates it (an object, size) like the HTTP door does.
  return setTraceOutcome(pool, tenant, id, outcome);
}
