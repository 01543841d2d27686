// The batch ingest use case behind POST /v1/traces: validates each trace on its own, stores the
// valid ones (atomically per trace) and answers one result per item, in order.
import { z } from "zod";
import type pg from "pg";
import { TraceInputSchema, type TraceData } from "../../domain/trace.js";
import { issuePath } from "../../domain/format-issues.js";
import { AppError, ValidationError } from "../../errors.js";
import { normalizeTrace, DEFAULT_MAX_TOOL_RESPONSE_CHARS } from "../trace-content.js";
import { storeTraces, type StoreStatus } from "../store-traces.js";
import { mapYielding } from "../../runtime/map-yielding.js";

export interface IngestOptions {
  /** Tool responses are truncated to this many characters. Default 10000. */
  maxToolResponseChars?: number;
  /** Most traces accepted in one batch; more is rejected whole with 413. Default 1000. */
  maxTraces?: number;
}

export interface ItemError {
  /** JSON path of the problem from the request body's root, e.g. `traces[3].steps[0].success`. */
  path: string;
  message: string;
}

export type ItemResult =
  | { index: number; id: string; status: StoreStatus }
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
  return env.data.traces;
}

/** Validates one raw trace; errors carry paths prefixed with `prefix` (e.g. `traces[2]`). */
export function validateTrace(raw: unknown, prefix: string, maxToolResponseChars = DEFAULT_MAX_TOOL_RESPONSE_CHARS): { ok: true; trace: TraceData } | { ok: false; id?: string; errors: ItemError[] } {
  const parsed = TraceInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, trace: normalizeTrace(parsed.data, maxToolResponseChars) };
  const rawId = (raw as { id?: unknown } | null)?.id;
  return {
    ok: false,
    ...(typeof rawId === "string" ? { id: rawId } : {}),
    errors: parsed.error.issues.map((i) => ({ path: issuePath([...(prefix ? [prefix] : []), ...i.path]).replace(/^(\w+)\.\[/, "$1["), message: i.message })),
  };
}

/** Ingests a batch for `tenant`. Never half-writes a trace; invalid items do not block valid ones. */
export async function ingestTraces(pool: pg.Pool, tenant: string, items: readonly unknown[], options: IngestOptions = {}): Promise<IngestResult> {
  const max = options.maxToolResponseChars ?? DEFAULT_MAX_TOOL_RESPONSE_CHARS;
  // Validating a large batch takes tens of milliseconds; done in slices, it does not hold up the
  // requests and model calls the service is serving meanwhile.
  const checked = await mapYielding(items, (raw, index) => ({ index, ...validateTrace(raw, `traces[${index}]`, max) }));
  const valid = checked.flatMap((c) => (c.ok ? [c.trace] : []));
  const { results: stored, failures } = await storeTraces(pool, tenant, valid);
  const failed = new Map(failures.map((f) => [f.id, f.error]));
  const results: ItemResult[] = checked.map((c): ItemResult => {
    if (!c.ok) return { index: c.index, ...(c.id !== undefined ? { id: c.id } : {}), status: "invalid", errors: c.errors };
    const error = failed.get(c.trace.id);
    if (error !== undefined) return { index: c.index, id: c.trace.id, status: "failed", errors: [{ path: `traces[${c.index}]`, message: error }] };
    return { index: c.index, id: c.trace.id, status: stored.get(c.trace.id) ?? "unchanged" };
  });
  const rejected = results.filter((r) => r.status === "invalid" || r.status === "failed").length;
  return { results, accepted: results.length - rejected, rejected };
}
