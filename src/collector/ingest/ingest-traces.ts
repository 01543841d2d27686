// The batch ingest use case behind POST /v1/traces: validates each trace on its own, stores the
// valid ones (atomically per trace) and answers one result per item, in order.
import { z } from "zod";
import type pg from "pg";
import { TraceInputSchema, type TraceData } from "../../domain/trace.js";
import { STARTED_AT_DEFAULTED } from "../trace-content.js";
import { issuePath } from "../../domain/format-issues.js";
import { findUnsafeValues, invalidInput, safeParseInput, toInputIssues, unsafeStringReason } from "../../domain/input-safety.js";
import { AppError, ValidationError } from "../../errors.js";
import { normalizeTrace, DEFAULT_MAX_TOOL_RESPONSE_CHARS } from "../trace-content.js";
import { storeTraces, type StoreFailure, type StoreStatus } from "../store-traces.js";
import { mapYielding } from "../../runtime/map-yielding.js";
import type { PriceTable } from "../../domain/model-prices.js";

export interface IngestOptions {
  /** When the batch was received: the startedAt of a trace sent without one. Default: now. */
  receivedAt?: Date;
  /** Tool responses are truncated to this many characters. Default 10000. */
  maxToolResponseChars?: number;
  /** Most traces accepted in one batch; more is rejected whole with 413. Default 1000. */
  maxTraces?: number;
  /** Told the database's own text when it refuses a valid trace (the client gets only a code). */
  onStoreFailure?: (failure: StoreFailure) => void;
  /** Config `model_prices`: traces with tokens and no `costUsd` get their cost from it. */
  prices?: PriceTable;
}

export interface ItemError {
  /** JSON path of the problem from the request body's root, e.g. `traces[3].steps[0].success`. */
  path: string;
  message: string;
}

export type ItemResult =
  | { index: number; id: string; status: StoreStatus; /** Set when the trace had no startedAt: the time used (when it was received). */ startedAt?: string; startedAtDefaulted?: true }
  | { index: number; id?: string; status: "invalid"; errors: ItemError[] }
  | { index: number; id: string; status: "failed"; errors: ItemError[] };

export interface IngestResult {
  results: ItemResult[];
  accepted: number;
  rejected: number;
}

const EnvelopeSchema = z.object({ traces: z.array(z.unknown(), { message: "expected an array of traces" }) });

export class BatchTooLargeError extends AppError {
  constructor(count: number, max: number) {
    super("payload_too_large", `A batch holds at most ${max} traces; this one has ${count}. Split it into smaller batches.`, { status: 413 });
  }
}

/** Validates the envelope `{ traces: [...] }`; throws ValidationError (400) or BatchTooLargeError (413). */
export function parseEnvelope(body: unknown, maxTraces = 1000): unknown[] {
  const env = EnvelopeSchema.safeParse(body);
  if (!env.success) {
    throw new ValidationError('Request body must be a JSON object { "traces": [ ... ] }', env.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  }
  if (env.data.traces.length > maxTraces) throw new BatchTooLargeError(env.data.traces.length, maxTraces);
  // The envelope's other fields are ignored, but not if they are unsafe: nothing hostile is let
  // through silently (each trace is checked on its own, so one bad trace does not fail the batch).
  const unsafe = findUnsafeValues({ ...(body as Record<string, unknown>), traces: [] });
  if (unsafe.length > 0) throw invalidInput("body", toInputIssues(unsafe));
  return env.data.traces;
}

/**
 * A trace sent without `startedAt` starts when it was received (or at its `endedAt`, if that is
 * earlier), as the common tracing tools do; the stored metadata says so (`startedAtDefaulted`),
 * and the content hash leaves that time out, so re-sending the same trace later is a no-op.
 */
function withStartedAt(raw: unknown, receivedAt: string): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const trace = raw as Record<string, unknown>;
  if (trace["startedAt"] !== undefined) return raw;
  const ended = typeof trace["endedAt"] === "string" ? Date.parse(trace["endedAt"]) : NaN;
  const startedAt = Number.isFinite(ended) && ended < Date.parse(receivedAt) ? new Date(ended).toISOString() : receivedAt;
  const metadata = trace["metadata"] && typeof trace["metadata"] === "object" && !Array.isArray(trace["metadata"]) ? (trace["metadata"] as Record<string, unknown>) : trace["metadata"] === undefined ? {} : undefined;
  // A metadata value of the wrong type is left for the schema to refuse, with its path.
  if (metadata === undefined) return { ...trace, startedAt };
  return { ...trace, startedAt, metadata: { ...metadata, [STARTED_AT_DEFAULTED]: true } };
}

/** `prefix` and a path relative to it as one path: `traces[2]` + `steps[0].name`, `traces[2]` + `(root)`. */
const underPrefix = (prefix: string, path: string) => (!prefix ? path : path === "(root)" ? prefix : path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`);

/**
 * Validates one raw trace (unsafe values first, then the trace schema: input-safety.ts); errors
 * carry paths prefixed with `prefix` (e.g. `traces[2]`).
 */
export function validateTrace(raw: unknown, prefix: string, maxToolResponseChars = DEFAULT_MAX_TOOL_RESPONSE_CHARS): { ok: true; trace: TraceData } | { ok: false; id?: string; errors: ItemError[] } {
  const parsed = safeParseInput(TraceInputSchema, raw);
  if (parsed.ok) return { ok: true, trace: normalizeTrace(parsed.value, maxToolResponseChars) };
  const rawId = (raw as { id?: unknown } | null)?.id;
  return {
    ok: false,
    // The id is echoed only when it could itself be stored: the answer must be valid JSON text.
    ...(typeof rawId === "string" && unsafeStringReason(rawId) === undefined ? { id: rawId } : {}),
    errors: parsed.issues.map((i) => ({ path: underPrefix(prefix, i.path), message: i.message })),
  };
}

/** Ingests a batch for `tenant`. Never half-writes a trace; invalid items do not block valid ones. */
export async function ingestTraces(pool: pg.Pool, tenant: string, items: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  const max = options.maxToolResponseChars ?? DEFAULT_MAX_TOOL_RESPONSE_CHARS;
  // Validating a large batch takes tens of milliseconds; done in slices, it does not hold up the
  // requests and model calls the service is serving meanwhile.
  const receivedAt = (options.receivedAt ?? new Date()).toISOString();
  const validated = await mapYielding(items, (raw, index) => ({ index, ...validateTrace(withStartedAt(raw, receivedAt), `traces[${index}]`, max) }));
  const checked = flagDuplicateIds(validated);
  const valid = checked.flatMap((c) => (c.ok ? [c.trace] : []));
  const { results: stored, failures } = await storeTraces(pool, tenant, valid, options.prices ? { prices: options.prices } : {});
  for (const f of failures) options.onStoreFailure?.(f);
  const failed = new Map(failures.map((f) => [f.id, f.error]));
  const results: ItemResult[] = checked.map((c): ItemResult => {
    if (!c.ok) return { index: c.index, ...(c.id !== undefined ? { id: c.id } : {}), status: "invalid", errors: c.errors };
    const error = failed.get(c.trace.id);
    if (error !== undefined) return { index: c.index, id: c.trace.id, status: "failed", errors: [{ path: `traces[${c.index}]`, message: error }] };
    const defaulted = c.trace.metadata[STARTED_AT_DEFAULTED] === true ? { startedAt: c.trace.startedAt, startedAtDefaulted: true as const } : {};
    return { index: c.index, id: c.trace.id, status: stored.get(c.trace.id) ?? "unchanged", ...defaulted };
  });
  const rejected = results.filter((r) => r.status === "invalid" || r.status === "failed").length;
  return { results, accepted: results.length - rejected, rejected };
}

type Checked = { index: number } & ReturnType<typeof validateTrace>;

/**
 * The first valid item of an id is stored; a later valid item with the same id is `invalid`, named
 * at its `id` field, instead of silently replacing the first (both used to be reported stored).
 */
function flagDuplicateIds(checked: Checked[]): Checked[] {
  const firstAt = new Map<string, number>();
  return checked.map((c) => {
    if (!c.ok) return c;
    const first = firstAt.get(c.trace.id);
    if (first === undefined) {
      firstAt.set(c.trace.id, c.index);
      return c;
    }
    return { index: c.index, ok: false, id: c.trace.id, errors: [{ path: `traces[${c.index}].id`, message: `repeats the id of traces[${first}] in this batch; only the first is stored` }] };
  });
}
