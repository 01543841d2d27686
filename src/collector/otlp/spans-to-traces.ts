// Maps OTLP spans to traces using the OpenTelemetry GenAI semantic conventions: one trace per
// OTel trace id; `execute_tool` spans (or spans with gen_ai.tool.name) become tool_call steps,
// model spans (chat, text_completion, generate_content, or gen_ai.request.model) llm_call steps;
// the `invoke_agent` span (else the root span) gives the agent name, times and status.
import type { TraceInput, TraceStep } from "../../domain/trace.js";
import { attributes, nanosToMs, type OtlpSpan } from "./otlp-json.js";
import { mapYielding } from "../../runtime/map-yielding.js";

export interface SpanWithResource {
  span: OtlpSpan;
  resource: Record<string, unknown>;
}

const MODEL_OPERATIONS = new Set(["chat", "text_completion", "generate_content", "embeddings"]);
const STATUS_ERROR = (code: unknown) => code === 2 || code === "STATUS_CODE_ERROR";
const STATUS_OK = (code: unknown) => code === 1 || code === "STATUS_CODE_OK";

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** Cached prompt tokens, under the names semantic conventions and instrumentations use for them. */
function cachedOf(attrs: Record<string, unknown>): { cached?: number } {
  const cached = num(attrs["gen_ai.usage.cache_read.input_tokens"]) ?? num(attrs["gen_ai.usage.cache_read_input_tokens"]) ?? num(attrs["gen_ai.usage.cached_tokens"]);
  return cached !== undefined && cached >= 0 ? { cached: Math.floor(cached) } : {};
}

/** The kind of step a span is, if any. */
function spanStep(span: OtlpSpan, attrs: Record<string, unknown>): TraceStep | undefined {
  const op = str(attrs["gen_ai.operation.name"]);
  const start = nanosToMs(span.startTimeUnixNano);
  const durationMs = span.endTimeUnixNano !== undefined ? Math.max(0, nanosToMs(span.endTimeUnixNano) - start) : undefined;
  const startedAt = new Date(start).toISOString();
  const failed = STATUS_ERROR(span.status?.code);
  if (op === "execute_tool" || (op === undefined && attrs["gen_ai.tool.name"] !== undefined)) {
    const args = parseJson(attrs["gen_ai.tool.call.arguments"]);
    const result = attrs["gen_ai.tool.call.result"];
    const error = failed ? (span.status?.message || str(attrs["error.type"]) || "tool span ended with an error status") : undefined;
    return {
      type: "tool_call",
      name: str(attrs["gen_ai.tool.name"]) ?? (span.name.replace(/^execute_tool\s+/, "") || "tool"),
      arguments: args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : args === undefined ? {} : { value: args },
      success: !failed,
      ...(result !== undefined ? { response: typeof result === "string" ? result : JSON.stringify(result) } : {}),
      ...(error ? { error } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      startedAt,
    };
  }
  if ((op && MODEL_OPERATIONS.has(op)) || (op === undefined && attrs["gen_ai.request.model"] !== undefined)) {
    const messages = parseJson(attrs["gen_ai.input.messages"]);
    return {
      type: "llm_call",
      model: str(attrs["gen_ai.response.model"]) ?? str(attrs["gen_ai.request.model"]) ?? "unknown",
      tokens: {
        prompt: num(attrs["gen_ai.usage.input_tokens"]) ?? num(attrs["gen_ai.usage.prompt_tokens"]) ?? 0,
        completion: num(attrs["gen_ai.usage.output_tokens"]) ?? num(attrs["gen_ai.usage.completion_tokens"]) ?? 0,
        ...cachedOf(attrs),
      },
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(Array.isArray(messages) ? { messages } : {}),
      startedAt,
    };
  }
  return undefined;
}

/** `meta_agent.task` of the agent span, else of the resource; numbers are written as text. */
function taskAttribute(attrs: Record<string, unknown>, resource: Record<string, unknown>): string | undefined {
  for (const v of [attrs["meta_agent.task"], resource["meta_agent.task"]]) {
    if (typeof v === "string" && v.trim() !== "") return v.trim().slice(0, 200);
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
  }
  return undefined;
}

/** Orders steps by start; ISO strings of one format compare as text (localeCompare is ~50x slower). */
export const byStart = (a: TraceStep, b: TraceStep): number => {
  const x = a.startedAt ?? "";
  const y = b.startedAt ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Groups spans by trace id and maps each group to a trace. `rootSpanId` in metadata marks which
 * span gave the trace's fields. Linear in spans (one pass to group, one per group): an export of
 * 40,000 spans of one trace used to take ~50 s (each span copied its group's array).
 */
export async function spansToTraces(spans: readonly SpanWithResource[]): Promise<Array<{ trace: TraceInput; hasRoot: boolean; spanCount: number }>> {
  const byTrace = new Map<string, SpanWithResource[]>();
  for (const s of spans) {
    const group = byTrace.get(s.span.traceId);
    if (group) group.push(s);
    else byTrace.set(s.span.traceId, [s]);
  }
  const out: Array<{ trace: TraceInput; hasRoot: boolean; spanCount: number }> = [];
  for (const [traceId, group] of byTrace) {
    // Per-span work runs in slices (mapYielding): 40,000 spans take ~100 ms of CPU, which must not
    // hold up the requests the service is serving meanwhile.
    const withAttrs = await mapYielding(group, (g) => ({
      ...g,
      attrs: attributes(g.span.attributes),
      startMs: nanosToMs(g.span.startTimeUnixNano),
      endMs: g.span.endTimeUnixNano !== undefined ? nanosToMs(g.span.endTimeUnixNano) : undefined,
    }));
    // The outermost invoke_agent span: one whose parent is not itself an invoke_agent span of this group.
    const agentSpanIds = new Set(withAttrs.filter((g) => g.attrs["gen_ai.operation.name"] === "invoke_agent").map((g) => g.span.spanId));
    const agentSpan =
      withAttrs.find((g) => agentSpanIds.has(g.span.spanId) && !(g.span.parentSpanId && agentSpanIds.has(g.span.parentSpanId))) ?? withAttrs.find((g) => !g.span.parentSpanId);
    const steps = (await mapYielding(withAttrs, (g) => (g === agentSpan ? undefined : spanStep(g.span, g.attrs)))).filter((s): s is TraceStep => s !== undefined).sort(byStart);
    let firstStart = Infinity;
    let lastEnd = -Infinity;
    for (const g of withAttrs) {
      firstStart = Math.min(firstStart, g.startMs);
      if (g.endMs !== undefined) lastEnd = Math.max(lastEnd, g.endMs);
    }
    const a = agentSpan?.attrs ?? {};
    const resource = (agentSpan ?? group[0]!).resource;
    const tokens = steps.reduce((t, s) => (s.type === "llm_call" ? { prompt: t.prompt + s.tokens.prompt, completion: t.completion + s.tokens.completion } : t), { prompt: 0, completion: 0 });
    const code = agentSpan?.span.status?.code;
    const outcomeSuccess = typeof a["meta_agent.outcome.success"] === "boolean" ? (a["meta_agent.outcome.success"] as boolean) : STATUS_ERROR(code) ? false : STATUS_OK(code) ? true : undefined;
    const score = num(a["meta_agent.outcome.score"]);
    // A correction (JSON text of the output the run should have produced); validated with the trace, like any other field.
    const expected = a["meta_agent.outcome.expected"] !== undefined ? parseJson(a["meta_agent.outcome.expected"]) : undefined;
    // An empty span name falls through to the service's name (it used to make an empty, invalid agent).
    const agent = str(a["gen_ai.agent.name"]) ?? str(agentSpan?.span.name.replace(/^invoke_agent\s*/, "")) ?? str(resource["service.name"]) ?? "otlp";
    out.push({
      hasRoot: agentSpan !== undefined,
      spanCount: group.length,
      trace: {
        id: traceId,
        agent,
        ...(outcomeSuccess !== undefined ? { outcome: { success: outcomeSuccess, ...(score !== undefined && score >= 0 && score <= 1 ? { score } : {}), ...(STATUS_ERROR(code) && agentSpan?.span.status?.message ? { feedback: agentSpan.span.status.message } : {}), ...(expected !== undefined ? { expected: expected as Record<string, unknown> } : {}) } } : {}),
        ...(str(a["meta_agent.signature"]) ? { signature: str(a["meta_agent.signature"]) } : {}),
        ...(str(a["meta_agent.prompt_version"]) ? { promptVersion: str(a["meta_agent.prompt_version"]) } : {}),
        // The run's task key: `meta_agent.task` on the agent span (or, as a fallback, on the resource).
        ...(taskAttribute(a, resource) !== undefined ? { task: taskAttribute(a, resource)! } : {}),
        ...(a["gen_ai.input.messages"] !== undefined ? { input: parseJson(a["gen_ai.input.messages"]) } : {}),
        ...(a["gen_ai.output.messages"] !== undefined ? { output: parseJson(a["gen_ai.output.messages"]) } : {}),
        startedAt: new Date(agentSpan ? nanosToMs(agentSpan.span.startTimeUnixNano) : firstStart).toISOString(),
        ...(lastEnd > -Infinity ? { endedAt: new Date(agentSpan?.span.endTimeUnixNano !== undefined ? nanosToMs(agentSpan.span.endTimeUnixNano) : lastEnd).toISOString() } : {}),
        tokens,
        metadata: {
          source: "otlp",
          ...(agentSpan ? { rootSpanId: agentSpan.span.spanId } : {}),
          ...(str(resource["service.name"]) ? { serviceName: str(resource["service.name"]) } : {}),
          ...(str(a["gen_ai.conversation.id"]) ? { conversationId: str(a["gen_ai.conversation.id"]) } : {}),
          ...(str(a["gen_ai.system"] ?? a["gen_ai.provider.name"]) ? { provider: str(a["gen_ai.system"] ?? a["gen_ai.provider.name"]) } : {}),
        },
        steps,
      },
    });
  }
  return out;
}
