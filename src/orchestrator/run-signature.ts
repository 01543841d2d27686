// runSignature: one call of the latest (or a pinned) compiled signature. Renders, calls the model,
// validates the answer (predict, with one repair retry), and records a trace naming the version
// that actually ran — queued, so recording adds no I/O to the call. The returned trace id is how
// the outcome is reported later (POST /v1/traces/:id/outcome), which feeds the learning loop.
// A signature that declares tools runs the tool-calling loop with the service's own tools
// (orchestrator/tools/: run_program, search_library); one declaring any other tool is refused (422).
import { randomUUID } from "node:crypto";
import type { ChatMessage, ChatModel, ChatRequest, ChatResponse } from "../llm/chat-model.js";
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { LlmCallStep, Outcome, ToolCallStep, TraceInput } from "../domain/trace.js";
import { completeValidated, validateInputs, type Prediction } from "../signature/predict.js";
import { completeWithTools } from "../signature/complete-with-tools.js";
import type { ServiceToolbox } from "./tools/service-tool.js";
import { resolveSignatureTools } from "./tools/resolve-signature-tools.js";
import { callServiceTool } from "./tools/call-service-tool.js";
import { budgetedRounds } from "./budgeted-rounds.js";
import { renderMessages } from "../signature/render.js";
import { countChatTokens } from "../llm/token-count.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";
import type { Logger } from "../log/logger.js";
import type { ServedVersions } from "../registry/served-versions.js";
import type { TraceRecorder } from "./trace-recorder.js";
import type { CallBudget } from "./call-budget.js";
import type { SignatureCache } from "./signature-cache.js";
import type { CanaryRouting } from "../registry/canary/canary-routing.js";
import { recordCacheLookup, recordCanaryRun, recordLlmUsage, recordStructuredRun } from "../observability/metrics.js";
import { isSetupLlmError } from "../llm/errors.js";

export interface RunSignatureDeps {
  registry: ServedVersions;
  model: ChatModel;
  recorder: TraceRecorder;
  logger: Logger;
  /** Semantic cache (issue 9). Absent: every call goes to the model. */
  cache?: SignatureCache;
  /** Canary routing (issue 27). Absent: every unpinned call gets the served version. */
  canary?: CanaryRouting;
  /** The service tools a signature's declared tools may be (orchestrator/tools/). Absent: every signature with tools is refused. */
  tools?: ServiceToolbox;
  /** Most rounds of tool calls in one run (config `orchestrator_tool_max_rounds`). Default 6. */
  maxToolRounds?: number;
}

export interface RunSignatureOptions {
  /** Tenant the trace belongs to. Default `default`. */
  tenant?: string;
  /** Pin an exact version instead of the latest. */
  version?: string;
  /** Parent trace (hierarchical tasks). */
  parentTraceId?: string;
  /** Trace id to use (default: a new UUID). */
  traceId?: string;
  /** Token budget the call is charged to; a call that would exceed it is refused before it starts. */
  budget?: CallBudget;
  /** Most tokens this call may take from the budget (its share of a wave). */
  budgetCap?: number;
  /** Let this call spend the budget's synthesis reserve (interruption synthesis). Default false. */
  useSynthesisReserve?: boolean;
  /** Per-call timeout in ms (default: the model adapter's). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Keeps a caller on one arm of a running canary (a user or session id). Default: the trace id. */
  canaryKey?: string;
  /** Extra trace metadata (task id, role...). */
  metadata?: Record<string, unknown>;
  /** Use the semantic cache when one is configured. Default true (never with `model`: a cached answer came from another model). */
  cache?: boolean;
  /** Call this model instead of the version's own (the router's choice among `routing_models`). */
  model?: string;
  /**
   * Runs after a successful prediction (a cache hit too), before the trace is recorded; what it
   * returns is added to the trace. The engineer route runs the generated program here, so the run
   * and its failure are part of the engineer's trace. An error it throws is recorded, not raised.
   */
  afterPredict?: (outputs: Record<string, unknown>) => Promise<AfterPredict>;
}

/** What `afterPredict` adds to a run's trace. */
export interface AfterPredict {
  steps?: ToolCallStep[];
  outcome?: Outcome;
  metadata?: Record<string, unknown>;
}

export interface SignatureRun {
  traceId: string;
  signature: string;
  /** The version that actually ran. */
  version: string;
  outputs: Record<string, unknown>;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  latencyMs: number;
  /** Model calls made (0 on a cache hit, 2 when the answer was repaired). */
  calls: number;
  repaired: boolean;
  cached: boolean;
  /** The canary arm that served the call, when a canary of the signature is running. */
  canary?: { id: string; arm: "incumbent" | "candidate" };
  /** The service tools the model called, in order (signatures with tools only). */
  toolCalls?: { name: string; ok: boolean }[];
}

export type RunSignature = (name: string, inputs: Record<string, unknown>, options?: RunSignatureOptions) => Promise<SignatureRun>;

/** A message as a step records it: role and content, plus the tool calls it makes or answers. */
function stepMessage(m: ChatMessage): Record<string, unknown> {
  return {
    role: m.role,
    content: m.content,
    ...(m.toolCalls && m.toolCalls.length > 0 ? { toolCalls: m.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : {}),
    ...(m.toolCallId ? { toolCallId: m.toolCallId } : {}),
  };
}

/** Wraps the model so that every call of a run becomes an `llm_call` step with its own usage. */
function recordingModel(model: ChatModel, steps: (LlmCallStep | ToolCallStep)[]): ChatModel {
  return {
    model: model.model,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const startedAt = new Date().toISOString();
      const response = await model.complete(request);
      steps.push({
        type: "llm_call",
        model: response.model || model.model,
        tokens: { prompt: response.usage.promptTokens, completion: response.usage.completionTokens, ...(response.usage.cachedPromptTokens ? { cached: response.usage.cachedPromptTokens } : {}) },
        durationMs: response.latencyMs,
        // The request is mutated by predict's repair turn afterwards; keep what was sent, plus the answer.
        messages: [...request.messages.map(stepMessage), stepMessage({ role: "assistant", content: response.content, toolCalls: response.toolCalls })],
        startedAt,
      });
      return response;
    },
  };
}

/**
 * The version a call runs: a pinned one, else the arm of a running canary, else the served one.
 * A candidate that cannot be loaded is logged and the call served by the incumbent (recorded
 * without an arm, so the test does not count it).
 */
async function resolveServed(deps: RunSignatureDeps, tenant: string, name: string, options: RunSignatureOptions, traceId: string): Promise<{ compiled: CompiledVersion; canary?: { id: string; arm: "incumbent" | "candidate" } }> {
  if (options.version) return { compiled: await deps.registry.resolve(tenant, name, { version: options.version }) };
  const served = await deps.registry.resolve(tenant, name);
  const route = await deps.canary?.assign(tenant, name, options.canaryKey ?? traceId);
  if (!route) return { compiled: served };
  if (route.arm === "incumbent") return served.version === route.version ? { compiled: served, canary: { id: route.canaryId, arm: "incumbent" } } : { compiled: served };
  try {
    return { compiled: await deps.registry.resolve(tenant, name, { version: route.version }), canary: { id: route.canaryId, arm: "candidate" } };
  } catch (e) {
    deps.logger.warn({ name: "canary-candidate-unavailable", tenant, signature: name, version: route.version, err: e }, "the canary's candidate could not be loaded; serving the incumbent");
    return { compiled: served };
  }
}

/** Builds `runSignature` over its dependencies. */
export function createSignatureRunner(deps: RunSignatureDeps): RunSignature {
  return async function runSignature(name, inputs, options = {}) {
    const tenant = options.tenant ?? DEFAULT_TENANT;
    const traceId = options.traceId ?? randomUUID();
    const { compiled: resolved, canary } = await resolveServed(deps, tenant, name, options, traceId);
    // A signature with tools runs here only when the service has every one of them (else 422).
    const offered = resolved.tools && resolved.tools.length > 0 ? resolveSignatureTools(resolved.name, resolved.tools, deps.tools ?? new Map()) : undefined;
    const compiled: CompiledVersion = options.model ? { ...resolved, model: { ...resolved.model, model: options.model } } : resolved;
    const values = validateInputs(compiled, inputs);
    if (canary) recordCanaryRun(tenant, compiled.name, canary.arm);
    const startedAt = new Date();
    const t0 = performance.now();

    const trace = (fields: Partial<TraceInput>): TraceInput => ({
      id: traceId,
      agent: compiled.name,
      signature: compiled.name,
      promptVersion: compiled.version,
      input: values,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      ...(options.parentTraceId ? { parentTraceId: options.parentTraceId } : {}),
      ...fields,
      metadata: { ...options.metadata, ...(options.version ? { pinned: true } : {}), ...(canary ? { canary } : {}), ...fields.metadata },
    });

    const afterPredict = async (outputs: Record<string, unknown>): Promise<AfterPredict> => {
      if (!options.afterPredict) return {};
      try {
        return await options.afterPredict(outputs);
      } catch (e) {
        deps.logger.warn({ name: "after-predict-failed", signature: name, err: e }, "post-processing of a run failed");
        return { metadata: { afterPredictError: (e as Error).message ?? String(e) } };
      }
    };

    // Not for tool runs: their answer rests on what the tools returned at the time (a library that changed).
    const useCache = deps.cache && options.cache !== false && !options.model && !offered;
    let cacheKey: unknown;
    if (useCache) {
      const hit = await deps.cache!.lookup({ tenant, signature: compiled.name, version: compiled.version, inputs: values }).catch((e: unknown) => {
        deps.logger.warn({ name: "cache-lookup-failed", signature: name, err: e }, "cache lookup failed; calling the model");
        return undefined;
      });
      if (hit?.hit && hit.output && typeof hit.output === "object") {
        const outputs = hit.output as Record<string, unknown>;
        const extra = await afterPredict(outputs);
        deps.recorder.record(tenant, trace({ output: outputs, ...extra, metadata: { cacheHit: true, cacheSimilarity: hit.similarity, ...extra.metadata } }));
        recordCacheLookup(tenant, compiled.name, true);
        return { traceId, signature: compiled.name, version: compiled.version, outputs, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 }, latencyMs: performance.now() - t0, calls: 0, repaired: false, cached: true, ...(canary ? { canary } : {}) };
      }
      cacheKey = hit && !hit.hit ? hit.key : undefined;
      if (hit) recordCacheLookup(tenant, compiled.name, false);
    }

    // Rendered once: the budget counts exactly the messages that are sent.
    const messages = renderMessages(compiled, values);
    let version: CompiledVersion = compiled;
    let settle: ((u: { promptTokens: number; completionTokens: number }) => void) | undefined;
    if (options.budget) {
      const promptTokens = countChatTokens(messages);
      const reservation = options.budget.reserve({
        promptTokens,
        maxCompletionTokens: compiled.model.maxTokens,
        ...(options.budgetCap !== undefined ? { cap: options.budgetCap } : {}),
        ...(options.useSynthesisReserve ? { useSynthesisReserve: true } : {}),
      });
      if (!reservation.ok) throw reservation.error;
      settle = reservation.value.settle;
      version = { ...compiled, model: { ...compiled.model, maxTokens: reservation.value.maxCompletionTokens } };
    }

    const steps: (LlmCallStep | ToolCallStep)[] = [];
    const llmSteps = () => steps.filter((s): s is LlmCallStep => s.type === "llm_call");
    const toolSteps = () => steps.filter((s): s is ToolCallStep => s.type === "tool_call");
    const usageOf = (calls: LlmCallStep[]) => calls.reduce((acc, s) => ({ promptTokens: acc.promptTokens + s.tokens.prompt, completionTokens: acc.completionTokens + s.tokens.completion }), { promptTokens: 0, completionTokens: 0 });
    // The run's reservation: the whole run, or for a tool run its first call (later rounds reserve their own).
    const settleRun = (all: { promptTokens: number; completionTokens: number }) => settle?.(offered ? usageOf(llmSteps().slice(0, 1)) : all);
    const toolRunModel = (): ChatModel => {
      if (!options.budget) return deps.model;
      const spent = () => {
        const u = usageOf(llmSteps());
        return u.promptTokens + u.completionTokens;
      };
      return budgetedRounds(deps.model, options.budget, { spent, ...(options.budgetCap !== undefined ? { cap: options.budgetCap } : {}), ...(options.useSynthesisReserve ? { useSynthesisReserve: true } : {}) });
    };
    try {
      const callOptions = { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) };
      // Inputs were validated above; predict() would validate and render them a second time.
      const prediction: Prediction & { toolRounds?: number } = offered
        ? await completeWithTools(recordingModel(toolRunModel(), steps), messages, version, {
            ...callOptions,
            tools: offered.specs,
            maxRounds: deps.maxToolRounds ?? 6,
            callTool: (call) => callServiceTool(offered, call, { tenant, ...(options.signal ? { signal: options.signal } : {}) }, steps, deps.logger),
          })
        : await completeValidated(recordingModel(deps.model, steps), messages, version, callOptions);
      settleRun(prediction.usage);
      const usage = { ...prediction.usage, totalTokens: prediction.usage.promptTokens + prediction.usage.completionTokens };
      const extra = await afterPredict(prediction.outputs);
      deps.recorder.record(
        tenant,
        trace({
          output: prediction.outputs,
          tokens: { prompt: usage.promptTokens, completion: usage.completionTokens },
          steps: [...steps, ...(extra.steps ?? [])],
          ...(extra.outcome ? { outcome: extra.outcome } : {}),
          metadata: { ...(prediction.repaired ? { repaired: true } : {}), responseFormat: prediction.responseFormat, ...(offered ? { toolRounds: prediction.toolRounds ?? 0 } : {}), ...extra.metadata },
        }),
      );
      if (useCache) {
        void deps.cache!.store({ tenant, signature: compiled.name, version: compiled.version, inputs: values, output: prediction.outputs, ...(cacheKey ? { key: cacheKey } : {}) }).catch((e: unknown) =>
          deps.logger.warn({ name: "cache-store-failed", signature: name, err: e }, "cache store failed"),
        );
      }
      recordLlmUsage(tenant, compiled.name, { calls: prediction.calls, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, ...(usage.cachedPromptTokens ? { cachedPromptTokens: usage.cachedPromptTokens } : {}) });
      recordStructuredRun(tenant, compiled.name, prediction.responseFormat, prediction.repaired);
      return {
        traceId, signature: compiled.name, version: compiled.version, outputs: prediction.outputs, usage, latencyMs: performance.now() - t0, calls: prediction.calls, repaired: prediction.repaired, cached: false,
        ...(canary ? { canary } : {}),
        ...(offered ? { toolCalls: toolSteps().map((s) => ({ name: s.name, ok: s.success })) } : {}),
      };
    } catch (e) {
      // Tokens of calls that did happen still count against the budget.
      const spent = usageOf(llmSteps());
      settleRun(spent);
      // No model configured or reachable (or the caller gave up): the agent never ran, so there is
      // no run to record — a failed trace here would be learned from as the agent's failure.
      if (isSetupLlmError(e)) {
        deps.logger.warn({ name: "run-not-started", signature: name, code: e.code }, e.message);
        throw e;
      }
      const error = e as { code?: string; message?: string };
      deps.recorder.record(
        tenant,
        trace({
          tokens: { prompt: spent.promptTokens, completion: spent.completionTokens },
          steps,
          outcome: { success: false, feedback: `error: ${error.message ?? String(e)}` },
          metadata: { error: { code: error.code ?? "error", message: error.message ?? String(e) }, ...(offered ? { toolRounds: steps.filter((s, i) => s.type === "llm_call" && steps[i + 1]?.type === "tool_call").length } : {}) },
        }),
      );
      throw e;
    }
  };
}
