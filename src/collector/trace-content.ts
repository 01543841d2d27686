// Normalizes a validated trace before it is stored (tool responses truncated, dates in one
// canonical form) and computes its content hash, the key of idempotent re-sends.
import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { TraceData, TraceStep } from "../domain/trace.js";

/** Metadata key set on a trace that was sent without `startedAt` (the time received was used). */
export const STARTED_AT_DEFAULTED = "startedAtDefaulted";

/** Default `max_tool_response_chars`. */
export const DEFAULT_MAX_TOOL_RESPONSE_CHARS = 10_000;

/** Cuts `text` to `max` characters and says how long it was, so a reader knows it is partial. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…[truncated, ${text.length} chars]`;
}

/** Already-truncated text keeps its marker; truncating again must be a no-op (idempotent re-sends). */
function truncateOnce(text: string, max: number): string {
  if (/…\[truncated, \d+ chars\]$/.test(text) && text.length <= max + 40) return text;
  return truncateText(text, max);
}

// Dates are stored with millisecond precision in UTC; normalizing here makes the hash of a
// re-sent or re-imported trace equal to the stored one.
const canonicalDate = (s: string): string => new Date(s).toISOString();

function normalizeStep(step: TraceStep, maxToolResponseChars: number): TraceStep {
  const out = { ...step } as TraceStep;
  if (out.startedAt !== undefined) out.startedAt = canonicalDate(out.startedAt);
  if (out.type === "tool_call" && out.response !== undefined) out.response = truncateOnce(out.response, maxToolResponseChars);
  return out;
}

/** Truncates tool responses and canonicalizes dates. Pure: returns a new object. */
export function normalizeTrace(trace: TraceData, maxToolResponseChars = DEFAULT_MAX_TOOL_RESPONSE_CHARS): TraceData {
  return {
    ...trace,
    startedAt: canonicalDate(trace.startedAt),
    ...(trace.endedAt !== undefined ? { endedAt: canonicalDate(trace.endedAt) } : {}),
    steps: trace.steps.map((s) => normalizeStep(s, maxToolResponseChars)),
  };
}

/** SHA-256 of the trace's canonical JSON (keys sorted), without the id-independent tenant. */
export function traceContentHash(trace: TraceData): string {
  // A start time the collector filled in (the trace came without one) is not content: the same
  // trace sent again later must hash the same.
  const content = trace.metadata[STARTED_AT_DEFAULTED] === true ? { ...trace, startedAt: "(received)" } : trace;
  return createHash("sha256").update(stringify(content) ?? "").digest("hex");
}
