// The one place that decides whether untrusted input can be stored and processed as sent: every
// door (POST /v1/traces, import, OTLP, outcomes, tasks, cycles, analyze, path and query
// parameters) runs its raw input through `findUnsafeValues` before its zod schema, and builds its
// schemas from the column-sized blocks below. What the database could not store (NUL, lone
// surrogates, out-of-range integers and dates), what JavaScript would change on the way
// (non-finite numbers) and what would exhaust the stack (deep nesting) is refused with the path of
// the field, before the database sees it — never a 500, never raw database text.
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { issuePath } from "./format-issues.js";

/**
 * Deepest nesting accepted in a JSON value (objects and arrays), counted from the root of what is
 * validated: a trace, an import record, an OTLP span, a request body. Deeper input is refused.
 */
export const MAX_JSON_DEPTH = 64;

/** Largest value of a Postgres `integer` column (token counts, step counts). */
export const PG_INT_MAX = 2_147_483_647;

/** Earliest and latest instants stored: years 0001..9999 in UTC (Postgres has no year 0; JavaScript and ISO 8601 stop at 9999). */
export const MIN_TIMESTAMP_MS = new Date("0001-01-01T00:00:00.000Z").getTime();
export const MAX_TIMESTAMP_MS = new Date("9999-12-31T23:59:59.999Z").getTime();

export interface InputIssue {
  /** The field's path from the root of the validated value, e.g. `traces[3].metadata.note`. */
  path: string;
  message: string;
}

export interface UnsafeValueOptions {
  /** Default MAX_JSON_DEPTH. */
  maxDepth?: number;
  /** Stop after this many issues. Default 5. */
  maxIssues?: number;
}

/** A string that contains U+0000 or a UTF-16 surrogate without its pair, or undefined when it is fine. */
export function unsafeStringReason(s: string): string | undefined {
  if (s.includes("\0")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) return "is not valid Unicode: it contains an unpaired surrogate (e.g. \\ud800)";
  return undefined;
}

/** `s` made storable for a message we write (e.g. a parser's error that quotes the input): NUL spelled out, unpaired surrogates as U+FFFD. */
export function storableText(s: string): string {
  return (s.replace(/\0/g, "\\u0000") as string & { toWellFormed(): string }).toWellFormed();
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | undefined;
  key: string | number | undefined;
}

const pathOf = (node: Node | undefined): (string | number)[] => {
  const out: (string | number)[] = [];
  for (let n = node; n && n.key !== undefined; n = n.parent) out.push(n.key);
  return out.reverse();
};

/**
 * Walks `value` (iteratively: any depth is safe) and lists what cannot be stored or would be
 * changed: strings and object keys with NUL or unpaired surrogates, non-finite numbers (JSON's
 * `1e400` parses to Infinity, which JSON.stringify would turn into null), nesting deeper than
 * `maxDepth`. Paths are relative to `value`; prefix them with `withPrefix`.
 */
export function findUnsafeValues(value: unknown, options: UnsafeValueOptions = {}): { path: (string | number)[]; message: string }[] {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const maxIssues = options.maxIssues ?? 5;
  const issues: { path: (string | number)[]; message: string }[] = [];
  const stack: Node[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  while (stack.length > 0 && issues.length < maxIssues) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === "string") {
      const reason = unsafeStringReason(v);
      if (reason) issues.push({ path: pathOf(node), message: reason });
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) issues.push({ path: pathOf(node), message: "is not a finite number (e.g. 1e400 overflows a double)" });
    } else if (v !== null && typeof v === "object") {
      const depth = node.depth + 1;
      if (depth > maxDepth) {
        issues.push({ path: pathOf(node), message: `nests deeper than ${maxDepth} levels of objects and arrays` });
        continue;
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: node, key: i });
      } else {
        const keys = Object.keys(v);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          const reason = unsafeStringReason(key);
          if (reason) {
            issues.push({ path: pathOf(node), message: `has a key that ${reason}` });
            if (issues.length >= maxIssues) break;
            continue;
          }
          stack.push({ value: (v as Record<string, unknown>)[key], depth, parent: node, key });
        }
      }
    }
  }
  return issues;
}

/** Issue paths as strings, under `prefix` (e.g. `traces[2]`). */
export function toInputIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: readonly (string | number)[] = []): InputIssue[] {
  return issues.map((i) => ({ path: issuePath([...prefix, ...i.path]), message: i.message }));
}

/** Validates untrusted `raw`: unsafe values first, then `schema`. Issues carry paths under `prefix`. */
export function safeParseInput<T>(schema: z.ZodType<T>, raw: unknown, prefix: readonly (string | number)[] = [], options: UnsafeValueOptions = {}): { ok: true; value: T } | { ok: false; issues: InputIssue[] } {
  const unsafe = findUnsafeValues(raw, options);
  if (unsafe.length > 0) return { ok: false, issues: toInputIssues(unsafe, prefix) };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: toInputIssues(parsed.error.issues, prefix) };
  return { ok: true, value: parsed.data };
}

/** Like safeParseInput, but throws ValidationError (400) whose message and details name each field. `where` says what was read ("body", "query"). */
export function parseInput<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const r = safeParseInput(schema, raw);
  if (!r.ok) throw invalidInput(where, r.issues);
  return r.value;
}

/** A 400 naming each bad field: `Invalid body: name: expected a string`. */
export function invalidInput(where: string, issues: readonly InputIssue[]): ValidationError {
  return new ValidationError(`Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
}

// ---- column-sized schema blocks ----------------------------------------------------------------

/** A non-negative integer that fits a Postgres `integer` column. */
export const pgCount = z
  .number({ message: "expected a non-negative integer" })
  .int("expected an integer")
  .nonnegative("must not be negative")
  .max(PG_INT_MAX, `at most ${PG_INT_MAX} (the column is a 32-bit integer)`);

/** An instant Postgres and JavaScript both store exactly: milliseconds since the epoch within years 0001..9999 (UTC). */
export const isStorableMs = (ms: number): boolean => Number.isFinite(ms) && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;

/** An ISO 8601 date-time with offset whose instant lies in years 0001..9999 (UTC). */
export const pgTimestamp = z
  .iso.datetime({ offset: true, message: "expected an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z" })
  .refine((s) => isStorableMs(Date.parse(s)), "must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");

/**
 * A JSON object kept exactly as sent: every own key, `__proto__` and `constructor` included, is
 * data (zod's record would assign `__proto__` as the prototype and lose it, and refuse an object
 * whose `constructor` key is not a function).
 */
export const jsonObject = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === "object" && !Array.isArray(v), { message: "expected an object" });
