// The use case behind POST /otlp/v1/traces: validates an OTLP/HTTP JSON export, maps spans to
// traces (GenAI conventions) and stores them. Exporters send a trace's spans in several
// batches as they end, so spans of a trace already stored are merged into it, not replacing it.
// Exports of one trace arrive concurrently, on one service instance or several sharing the
// database: each export reads, merges and writes its traces in one transaction that first takes
// a transaction-scoped advisory lock per trace (in sorted order, so two exports cannot deadlock),
// so two merges of the same trace never interleave and no span is lost, whichever instance they reach.
import type pg from "pg";
import type { TraceData, TraceInput, TraceStep } from "../../domain/trace.js";
import { DatabaseUnavailableError, ValidationError } from "../../errors.js";
import { issuePath } from "../../domain/format-issues.js";
import { validateTrace } from "../ingest/ingest-traces.js";
import { errorText, storeTracesOn } from "../store-traces.js";
import { withCost, type PriceTable } from "../../domain/model-prices.js";
import { withTransaction } from "../../db/transaction.js";
import { isConnectionError } from "../../db/connection-errors.js";
import { traceDataOf } from "../trace-rows.js";
import { findTraces } from "../query/get-trace.js";
import { OtlpRequestSchema, OtlpResourceSchema, OtlpSpanSchema, attributes } from "./otlp-json.js";
import { byStart, spansToTraces, type SpanWithResource } from "./spans-to-traces.js";
import { findUnsafeValues, invalidInput, safeParseInput, toInputIssues } from "../../domain/input-safety.js";
import { mapYielding } from "../../runtime/map-yielding.js";

/** OTLP's ExportTraceServiceResponse. */
export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
  /** Traces stored or merged by this export (not part of the OTLP response body). */
  traces?: number;
}

const stepKey = (s: TraceStep) => JSON.stringify([s.type, s.type === "tool_call" ? s.name : s.type === "llm_call" ? s.model : s.reasoning, s.startedAt, "durationMs" in s ? s.durationMs : undefined]);

function merge(existing: TraceData, incoming: TraceInput, incomingHasRoot: boolean): TraceInput {
  const steps = new Map<string, TraceStep>();
  for (const s of [...existing.steps, ...((incoming.steps ?? []) as TraceStep[])]) steps.set(stepKey(s), s);
  const merged = [...steps.values()].sort(byStart);
  const tokens = merged.reduce((t, s) => (s.type === "llm_call" ? { prompt: t.prompt + s.tokens.prompt, completion: t.completion + s.tokens.completion } : t), { prompt: 0, completion: 0 });
  const existingHasRoot = typeof existing.metadata["rootSpanId"] === "string";
  if (incomingHasRoot || !existingHasRoot) {
    const startedAt = incomingHasRoot ? incoming.startedAt : [existing.startedAt, incoming.startedAt].sort()[0]!;
    const endedAt = incomingHasRoot ? incoming.endedAt : [existing.endedAt, incoming.endedAt].filter((x): x is string => !!x).sort().pop();
    return { ...incoming, startedAt, ...(endedAt ? { endedAt } : {}), tokens, steps: merged };
  }
  return { ...existing, tokens, steps: merged };
}

/** Ingests one OTLP JSON export for `tenant`; invalid spans are counted in partialSuccess. */
export async function ingestOtlp(pool: pg.Pool, tenant: string, body: unknown, options: { maxToolResponseChars?: number; prices?: PriceTable } = {}): Promise<OtlpExportResponse> {
  const parsed = OtlpRequestSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError("Body is not an OTLP ExportTraceServiceRequest", parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  const problems: string[] = [];
  let rejected = 0;
  // Each span is checked on its own (input-safety first: NUL, unpaired surrogates, non-finite
  // numbers, nesting), so one hostile span is rejected and counted while the others are stored.
  // A hostile resource makes the whole export a 400: it is shared by all its spans.
  const raws: { raw: unknown; resource: Record<string, unknown>; where: string }[] = [];
  for (const [r, rs] of parsed.data.resourceSpans.entries()) {
    const resource = safeParseInput(OtlpResourceSchema, rs.resource ?? {}, ["resourceSpans", r, "resource"]);
    if (!resource.ok) throw invalidInput("OTLP export", resource.issues);
    const resourceAttrs = attributes(resource.value.attributes);
    for (const [s, ss] of rs.scopeSpans.entries()) {
      for (const [k, raw] of ss.spans.entries()) raws.push({ raw, resource: resourceAttrs, where: `resourceSpans[${r}].scopeSpans[${s}].spans[${k}]` });
    }
  }
  const checked = await mapYielding(raws, ({ raw, resource, where }) => {
    const unsafe = findUnsafeValues(raw, { maxIssues: 1 });
    const span = unsafe.length > 0 ? undefined : OtlpSpanSchema.safeParse(raw);
    if (span?.success) return { span: span.data, resource };
    const issue = unsafe.length > 0 ? toInputIssues(unsafe)[0]! : toInputIssues(span!.error.issues)[0]!;
    return { problem: `${where}${issue.path === "(root)" ? "" : `.${issue.path}`}: ${issue.message}` };
  });
  const spans: SpanWithResource[] = [];
  for (const c of checked) {
    if ("span" in c) spans.push(c as SpanWithResource);
    else {
      rejected++;
      if (problems.length < 5) problems.push(c.problem);
    }
  }
  const mapped = await spansToTraces(spans);
  const stored = await mergeAndStore(pool, tenant, mapped, problems, options.maxToolResponseChars, options.prices);
  rejected += stored.rejectedSpans;
  const traces = stored.traces;
  return rejected > 0 ? { partialSuccess: { rejectedSpans: rejected, errorMessage: problems.join("; ") }, traces } : { traces };
}

type Mapped = Awaited<ReturnType<typeof spansToTraces>>[number];

/** Merges and stores the export's traces in one transaction; if that fails, each trace in its own, so one bad trace cannot take the others down. */
async function mergeAndStore(pool: pg.Pool, tenant: string, mapped: Mapped[], problems: string[], maxToolResponseChars: number | undefined, prices: PriceTable | undefined): Promise<{ rejectedSpans: number; traces: number }> {
  if (mapped.length === 0) return { rejectedSpans: 0, traces: 0 };
  const reject = (m: Mapped, problem: string) => {
    if (problems.length < 5) problems.push(problem);
    return m.spanCount;
  };
  try {
    const merged = await withTransaction(pool, (client) => mergeInTransaction(client, tenant, mapped, maxToolResponseChars, prices));
    return { rejectedSpans: merged.invalid.reduce((n, { m, problem }) => n + reject(m, problem), 0), traces: merged.stored };
  } catch (e) {
    if (isConnectionError(e)) throw unavailable(e);
    if (mapped.length === 1) return { rejectedSpans: reject(mapped[0]!, `trace ${mapped[0]!.trace.id}: ${errorText(e)}`), traces: 0 };
  }
  let rejectedSpans = 0;
  let traces = 0;
  for (const m of mapped) {
    try {
      const merged = await withTransaction(pool, (client) => mergeInTransaction(client, tenant, [m], maxToolResponseChars, prices));
      traces += merged.stored;
      for (const { problem } of merged.invalid) rejectedSpans += reject(m, problem);
    } catch (e) {
      if (isConnectionError(e)) throw unavailable(e);
      rejectedSpans += reject(m, `trace ${m.trace.id}: ${errorText(e)}`);
    }
  }
  return { rejectedSpans, traces };
}

/** Locks the traces' ids, then reads, merges, validates and writes them on `client` (an open transaction). */
async function mergeInTransaction(client: pg.ClientBase, tenant: string, mapped: Mapped[], maxToolResponseChars: number | undefined, prices: PriceTable | undefined): Promise<{ stored: number; invalid: { m: Mapped; problem: string }[] }> {
  const keys = [...new Set(mapped.map((m) => JSON.stringify([tenant, m.trace.id])))].sort();
  // Since PostgreSQL 9.6 volatile output expressions run after the ORDER BY: the locks are taken in key order.
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k", [keys]);
  const ready = new Map<string, TraceData>();
  const invalid: { m: Mapped; problem: string }[] = [];
  const stored = await findTraces(client, tenant, mapped.map((m) => m.trace.id));
  for (const m of mapped) {
    const existing = stored.get(m.trace.id);
    const candidate = existing ? merge(traceDataOf(existing), m.trace, m.hasRoot) : m.trace;
    const checked = validateTrace(candidate, "", maxToolResponseChars);
    // The cost is of the merged trace: spans of a later export add calls (OTLP spans carry no cost of their own).
    if (checked.ok) ready.set(checked.trace.id, prices ? withCost(prices, { ...checked.trace, costUsd: undefined }) : checked.trace);
    else invalid.push({ m, problem: `trace ${m.trace.id}: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}` });
  }
  await storeTracesOn(client, tenant, [...ready.values()]);
  return { stored: ready.size, invalid };
}

function unavailable(e: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError("The database is unavailable; the export was not stored. Retry later.", e);
}
