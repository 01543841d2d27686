// The one reading of an HTTP `Retry-After` value, shared by the tracing SDK's client (a pure
// client: this file imports nothing) and the LLM adapters (llm/errors.ts adds OpenAI's
// `retry-after-ms` header on top).

/**
 * Parses a `Retry-After` value — delta-seconds or an HTTP date — into milliseconds from `now`
 * (default: the current time); undefined when absent, blank or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
