// An agent run being recorded: steps in the order they started, outcome, problem context.
// `finish()` turns it into a TraceInput for a sink. Used by the decorators, the wrappers and
// the manual API alike.
import { randomUUID } from "node:crypto";
import type { Outcome, ProblemContext, TraceInput, TraceStep, TokenUsage } from "../../domain/trace.js";
import { truncateText, DEFAULT_MAX_TOOL_RESPONSE_CHARS } from "../trace-content.js";
import { toJsonSafe, errorMessage } from "./json-safe.js";
import type { TraceSink } from "./sink.js";

export interface RecorderOptions {
  agent: string;
  /** Trace id (the idempotency key). Default: a random UUID. */
  id?: string;
  signature?: string;
  promptVersion?: string;
  /** The task the run is for: the analyzer compares runs of the same task. */
  task?: string;
  problem?: Partial<ProblemContext>;
  input?: unknown;
  parentTraceId?: string;
  metadata?: Record<string, unknown>;
  /** Tool responses are cut to this many characters. Default 10000. */
  maxToolResponseChars?: number;
  /** Where the trace goes (a deferred outcome is sent to the same sink). Default: the configured one. */
  sink?: TraceSink;
}

export type ToolCallInput = {
  name: string;
  arguments?: Record<string, unknown>;
  success: boolean;
  response?: unknown;
  error?: unknown;
  durationMs?: number;
  startedAt?: string;
};
export type ThinkingInput = { reasoning: string; toolChoice?: string; justification?: string };
export type LlmCallInput = { model: string; tokens?: Partial<TokenUsage>; durationMs?: number; messages?: unknown[] };

const PENDING = Symbol("pending");
type Slot = TraceStep | { [PENDING]: { name: string; arguments: Record<string, unknown>; startedAt: string } };

export class RunRecorder {
  readonly id: string;
  readonly agent: string;
  readonly startedAt = new Date().toISOString();
  private readonly steps: Slot[] = [];
  private readonly options: RecorderOptions;
  private outcome: Outcome | undefined;
  private problem: Partial<ProblemContext> | undefined;
  private readonly metadata: Record<string, unknown>;
  private tokens: TokenUsage = { prompt: 0, completion: 0 };
  private costUsd: number | undefined;
  private task: string | undefined;
  private signature: string | undefined;
  private promptVersion: string | undefined;
  private finished = false;
  private deferred = false;
  // Snapshot at start: the agent may mutate its input while it runs.
  private readonly input: unknown;

  constructor(options: RecorderOptions) {
    this.options = options;
    this.input = toJsonSafe(options.input);
    this.id = options.id ?? randomUUID();
    this.agent = options.agent;
    this.problem = options.problem;
    this.task = options.task;
    this.signature = options.signature;
    this.promptVersion = options.promptVersion;
    this.metadata = { ...(options.metadata ?? {}) };
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Reserves the next step for a tool call that has started; fill it with `completeToolCall`. */
  startToolCall(name: string, args: Record<string, unknown>): number {
    this.steps.push({ [PENDING]: { name, arguments: args, startedAt: new Date().toISOString() } });
    return this.steps.length - 1;
  }

  completeToolCall(slot: number, result: { success: boolean; response?: unknown; error?: unknown; durationMs: number }): void {
    const s = this.steps[slot];
    if (this.finished || !s || !(PENDING in s)) return;
    const p = s[PENDING];
    this.steps[slot] = this.toolStep({ ...p, ...result });
  }

  addToolCall(call: ToolCallInput): void {
    if (!this.finished) this.steps.push(this.toolStep(call));
  }

  addThinking(step: ThinkingInput): void {
    if (this.finished) return;
    this.steps.push({ type: "thinking", reasoning: String(step.reasoning), ...(step.toolChoice !== undefined ? { toolChoice: step.toolChoice } : {}), ...(step.justification !== undefined ? { justification: step.justification } : {}), startedAt: new Date().toISOString() });
  }

  addLlmCall(call: LlmCallInput): void {
    if (this.finished) return;
    const tokens = { prompt: call.tokens?.prompt ?? 0, completion: call.tokens?.completion ?? 0 };
    this.tokens = { prompt: this.tokens.prompt + tokens.prompt, completion: this.tokens.completion + tokens.completion };
    this.steps.push({ type: "llm_call", model: call.model, tokens, ...(call.durationMs !== undefined ? { durationMs: call.durationMs } : {}), ...(call.messages ? { messages: toJsonSafe(call.messages) as unknown[] } : {}), startedAt: new Date().toISOString() });
  }

  setOutcome(outcome: Outcome): void {
    this.outcome = { ...outcome };
  }

  /** The outcome will be reported after the run ends (deferOutcome): no default outcome on return. */
  deferOutcome(): void {
    this.deferred = true;
  }

  get outcomeDeferred(): boolean {
    return this.deferred;
  }

  get sink(): TraceSink | undefined {
    return this.options.sink;
  }

  get hasOutcome(): boolean {
    return this.outcome !== undefined;
  }

  setProblemContext(problem: Partial<ProblemContext>): void {
    this.problem = { ...(this.problem ?? {}), ...problem };
  }

  /** Sets the task the run is for (when it is only known inside the run). */
  setTask(task: string): void {
    this.task = String(task);
  }

  /**
   * A served prompt was used in this run: the trace reports `name@version` unless the run already
   * names another signature (the first prompt used wins; an explicit option always does).
   */
  usePrompt(name: string, version: string | undefined): void {
    if (this.finished) return;
    if (this.signature === undefined) {
      this.signature = name;
      this.promptVersion = version;
    } else if (this.signature === name && this.promptVersion === undefined) this.promptVersion = version;
  }

  setMetadata(values: Record<string, unknown>): void {
    Object.assign(this.metadata, toJsonSafe(values));
  }

  addCost(usd: number): void {
    this.costUsd = (this.costUsd ?? 0) + usd;
  }

  /** Ends the run and returns the trace. Later calls on this recorder are ignored. */
  finish(end: { output?: unknown; error?: unknown; outcome?: Outcome } = {}): TraceInput {
    if (end.outcome) this.outcome = end.outcome;
    if (end.error !== undefined && !this.outcome) this.outcome = { success: false, feedback: errorMessage(end.error) };
    if (end.error !== undefined) this.metadata["error"] = errorMessage(end.error);
    this.finished = true;
    const steps = this.steps.map((s): TraceStep => (PENDING in s ? this.toolStep({ ...s[PENDING], success: false, error: "still running when the agent run ended" }) : s));
    const o = this.options;
    const output = toJsonSafe(end.output);
    const input = this.input;
    return {
      id: this.id,
      agent: this.agent,
      ...(this.signature !== undefined ? { signature: this.signature } : {}),
      ...(this.promptVersion !== undefined ? { promptVersion: this.promptVersion } : {}),
      ...(this.task !== undefined && this.task !== "" ? { task: this.task } : {}),
      ...(this.problem ? { problem: toJsonSafe(this.problem) as ProblemContext } : {}),
      ...(input !== undefined ? { input } : {}),
      ...(output !== undefined ? { output } : {}),
      ...(this.outcome ? { outcome: this.outcome } : {}),
      startedAt: this.startedAt,
      endedAt: new Date().toISOString(),
      tokens: this.tokens,
      ...(this.costUsd !== undefined ? { costUsd: this.costUsd } : {}),
      metadata: this.metadata,
      ...(o.parentTraceId !== undefined ? { parentTraceId: o.parentTraceId } : {}),
      steps,
    };
  }

  private toolStep(c: ToolCallInput): TraceStep {
    const max = this.options.maxToolResponseChars ?? DEFAULT_MAX_TOOL_RESPONSE_CHARS;
    const response = c.response === undefined ? undefined : typeof c.response === "string" ? c.response : JSON.stringify(toJsonSafe(c.response)) ?? String(c.response);
    return {
      type: "tool_call",
      name: c.name,
      arguments: c.arguments ?? {},
      success: c.success,
      ...(response !== undefined ? { response: truncateText(response, max) } : {}),
      ...(c.error !== undefined ? { error: errorMessage(c.error) } : {}),
      ...(c.durationMs !== undefined ? { durationMs: Math.max(0, c.durationMs) } : {}),
      ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
    };
  }
}
