// The use case behind POST /otlp/v1/traces: validates an OTLP/HTTP JSON export, maps spans to
// traces (GenAI conventions) and stores them. Exporters send a trace's spans in several
// batches as they end, so spans of a trace already stored are merged into it, not replacing it.
import type pg from "pg";
import type { TraceData, TraceInput, TraceStep } from "../../domain/trace.js";
import { ValidationError } from "../../errors.js";
import { issuePath } from "../../domain/format-issues.js";
import { validateTrace } from "../ingest/ingest-traces.js";
import { storeTraces } from "../store-traces.js";
import { traceDataOf } from "../trace-rows.js";
import { findTrace } from "../query/get-trace.js";
import { OtlpRequestSchema, OtlpSpanSchema, attributes } from "./otlp-json.js";
import { spansToTraces, type SpanWithResource } from "./spans-to-traces.js";
import { withKeys } from "./keyed-lock.js";

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
  const merged = [...steps.values()].sort((a, b) => (a.startedAt ?? "").localeCompare(b.startedAt ?? ""));
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
export async function ingestOtlp(pool: pg.Pool, tenant: string, body: unknown, options: { maxToolResponseChars?: number } = {}): Promise<OtlpExportResponse> {
  const parsed = OtlpRequestSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError("Body is not an OTLP ExportTraceServiceRequest", parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })));
  const spans: SpanWithResource[] = [];
  const problems: string[] = [];
  let rejected = 0;
  for (const [r, rs] of parsed.data.resourceSpans.entries()) {
    const resource = attributes(rs.resource?.attributes ?? []);
    for (const [s, ss] of rs.scopeSpans.entries()) {
      for (const [k, raw] of ss.spans.entries()) {
        const span = OtlpSpanSchema.safeParse(raw);
        if (span.success) spans.push({ span: span.data, resource });
        else {
          rejected++;
          if (problems.length < 5) problems.push(`resourceSpans[${r}].scopeSpans[${s}].spans[${k}].${issuePath(span.error.issues[0]!.path)}: ${span.error.issues[0]!.message}`);
        }
      }
    }
  }
  const mapped = spansToTraces(spans);
  // Read-merge-write per trace id must not interleave with another export of the same trace.
  const stored = await withKeys(mapped.map((m) => `${tenant}\u0000${m.trace.id}`), () => mergeAndStore(pool, tenant, mapped, problems, options.maxToolResponseChars));
  rejected += stored.rejectedSpans;
  const traces = stored.traces;
  return rejected > 0 ? { partialSuccess: { rejectedSpans: rejected, errorMessage: problems.join("; ") }, traces } : { traces };
}

async function mergeAndStore(pool: pg.Pool, tenant: string, mapped: ReturnType<typeof spansToTraces>, problems: string[], maxToolResponseChars: number | undefined): Promise<{ rejectedSpans: number; traces: number }> {
  let rejected = 0;
  const ready: TraceData[] = [];
  for (const m of mapped) {
    const existing = await findTrace(pool, tenant, m.trace.id);
    const candidate = existing ? merge(traceDataOf(existing), m.trace, m.hasRoot) : m.trace;
    const checked = validateTrace(candidate, "", maxToolResponseChars);
    if (checked.ok) ready.push(checked.trace);
    else {
      rejected += m.spanCount;
      if (problems.length < 5) problems.push(`trace ${m.trace.id}: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
    }
  }
  const { failures } = await storeTraces(pool, tenant, ready);
  for (const f of failures) {
    rejected += mapped.find((m) => m.trace.id === f.id)?.spanCount ?? 0;
    if (problems.length < 5) problems.push(`trace ${f.id}: ${f.error}`);
  }
  return { rejectedSpans: rejected, traces: ready.length - failures.length };
}
