// Turns arbitrary agent values (class instances, cycles, bigint, functions) into plain JSON so
// recording a value can never throw into the agent.
import { configure } from "safe-stable-stringify";

const stringify = configure({ bigint: true, circularValue: "[Circular]", deterministic: false });

/** A JSON-compatible copy of `value`; undefined stays undefined. */
export function toJsonSafe(value: unknown): unknown {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  try {
    const text = stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return String(value);
  }
}

/** Text form of a tool's result: strings as they are, anything else as JSON. */
export function toText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  try {
    return stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The arguments of a call as a record: one plain object is used as is, otherwise `{ args: [...] }`. */
export function argumentsRecord(args: readonly unknown[]): Record<string, unknown> {
  if (args.length === 1 && args[0] !== null && typeof args[0] === "object" && !Array.isArray(args[0])) {
    return (toJsonSafe(args[0]) as Record<string, unknown>) ?? {};
  }
  return args.length === 0 ? {} : { args: toJsonSafe(args) };
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return toText(e) ?? "unknown error";
}
