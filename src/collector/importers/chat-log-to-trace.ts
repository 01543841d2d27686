// Maps one OpenAI chat-format record ({ messages: [...], outcome }) to a trace: assistant
// tool_calls become tool_call steps paired with their `tool` results by id, assistant text next
// to tool calls becomes a thinking step, the system prompt goes to metadata, the first user
// message to `input` and the last assistant message to `output`.
import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { Outcome, TraceInput, TraceStep } from "../../domain/trace.js";
import type { ErrorMatcher } from "./error-pattern.js";

export interface ChatImportOptions {
  /** Agent name of the imported traces. Default: the record's `agent`, else `imported`. */
  agent?: string;
  /** Dotted path of the messages array in a record. Default `messages`. */
  messagesField?: string;
  /** Dotted path of the outcome: a boolean, a number (score 0..1) or `{ success, score, feedback, expected }` (`expected`: a correction). Default `outcome`. */
  outcomeField?: string;
  /** Dotted path of the task key in a record (a string or a number), e.g. `task_id`. Default: none. */
  taskField?: string;
  /** A numeric outcome at or above this counts as success. Default 0.5. */
  successThreshold?: number;
  /** A tool result matching this is a failed call. Default: results that look like errors (DEFAULT_ERROR_PATTERN). */
  errorPattern?: ErrorMatcher;
  /**
   * Leave tool results unclassified and return them in `toolResults`, for a caller that matches
   * them itself (the import does, yielding between matches; see markFailedToolCalls). Default false.
   */
  deferErrorCheck?: boolean;
  /** Start time for records without a timestamp. Default: the Unix epoch (keeps re-imports identical). */
  defaultStartedAt?: string;
}

export const DEFAULT_ERROR_PATTERN = /^\s*(error\b|exception\b|traceback\b|failed\b|fatal\b)|^\s*\{\s*"error"\s*:|\b(error|exception|status(code)?)\s*[:=]\s*"?(4\d\d|5\d\d)\b|\b(not found|permission denied|access denied|timed out|connection refused|unauthorized|forbidden)\b/i;

type Msg = { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown; name?: unknown; function_call?: unknown };
type ToolCall = { id?: unknown; function?: { name?: unknown; arguments?: unknown } };

export function getPath(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Text of a message's content (string, or the text parts of a content array). */
function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === "string" ? p : typeof (p as { text?: unknown })?.text === "string" ? (p as { text: string }).text : "")).join("");
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

function parseArgs(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw !== "string" || raw.trim() === "") return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { raw };
  }
}

function toOutcome(v: unknown, threshold: number): Outcome | undefined {
  if (typeof v === "boolean") return { success: v };
  if (typeof v === "number" && Number.isFinite(v)) return { success: v >= threshold, ...(v >= 0 && v <= 1 ? { score: v } : {}) };
  if (typeof v === "string" && /^(true|false|success|failure|failed|passed)$/i.test(v.trim())) return { success: /^(true|success|passed)$/i.test(v.trim()) };
  if (v && typeof v === "object" && typeof (v as Outcome).success === "boolean") return v as Outcome;
  return undefined;
}

/** A task key read from a record: a non-empty string, or a finite number written as text. */
export function taskValue(v: unknown): string | undefined {
  if (typeof v === "string" && v.trim() !== "") return v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function timestamp(record: Record<string, unknown>): string | undefined {
  for (const k of ["startedAt", "started_at", "timestamp", "created_at", "created", "time"]) {
    const v = record[k];
    // Out-of-range numbers make an Invalid Date, whose toISOString throws (found by fuzzing).
    const date = typeof v === "number" && Number.isFinite(v) ? new Date(v < 1e11 ? v * 1000 : v) : undefined;
    if (date && !Number.isNaN(date.getTime())) return date.toISOString();
    if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
  }
  return undefined;
}

/** A tool result of a mapped record: the tool_call step it answers and its text. */
export interface ToolResult {
  step: number;
  content: string;
}

type ToolCallInput = Extract<TraceStep, { type: "tool_call" }>;

/** Marks the steps of `results` whose `failed` entry is true as failed calls (the result is the error). */
export function markFailedToolCalls(trace: TraceInput, results: readonly ToolResult[], failed: readonly boolean[]): void {
  const steps = trace.steps as TraceStep[];
  results.forEach((r, i) => {
    if (!failed[i]) return;
    const step = steps[r.step] as ToolCallInput;
    steps[r.step] = { ...step, success: false, error: r.content.slice(0, 500) };
  });
}

/** A string-like id or name: a string or a number, else undefined (and `bad` tells the caller it is neither). */
const idText = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/**
 * Maps a chat record to a trace input, or explains why it cannot (a message with a field path).
 * With `deferErrorCheck`, tool results are returned unclassified in `toolResults`.
 */
export function chatLogToTrace(record: unknown, options: ChatImportOptions = {}): { ok: true; trace: TraceInput; toolResults: ToolResult[] } | { ok: false; path: string; message: string } {
  const field = options.messagesField ?? "messages";
  if (!record || typeof record !== "object" || Array.isArray(record)) return { ok: false, path: "(root)", message: "expected an object with a messages array" };
  const rec = record as Record<string, unknown>;
  const messages = getPath(rec, field);
  if (!Array.isArray(messages)) return { ok: false, path: field, message: "expected an array of chat messages" };
  if (messages.length === 0) return { ok: false, path: field, message: "no messages" };
  const errorPattern = options.errorPattern ?? DEFAULT_ERROR_PATTERN;

  const steps: TraceStep[] = [];
  const toolResults: ToolResult[] = [];
  const pending = new Map<string, number>(); // tool_call id → index of its step
  const system: string[] = [];
  let input: string | undefined;
  let output: string | undefined;
  for (const [i, raw] of messages.entries()) {
    const m = raw as Msg;
    if (!m || typeof m !== "object" || typeof m.role !== "string") return { ok: false, path: `${field}[${i}].role`, message: "expected a message with a string role" };
    const content = text(m.content);
    switch (m.role) {
      case "system":
      case "developer":
        system.push(content);
        break;
      case "user":
        input ??= content;
        break;
      case "assistant": {
        const calls: ToolCall[] = Array.isArray(m.tool_calls) ? (m.tool_calls as ToolCall[]) : m.function_call ? [{ id: `fc-${i}`, function: m.function_call as ToolCall["function"] }] : [];
        if (calls.length === 0) {
          if (content) output = content;
          break;
        }
        // A null or non-object tool call is a malformed record, not a crash (found by fuzzing).
        const bad = calls.findIndex((c) => !c || typeof c !== "object");
        if (bad >= 0) return { ok: false, path: `${field}[${i}].tool_calls[${bad}]`, message: "expected a tool call object" };
        // Names and ids must be text: String() of an object is "[object Object]", or throws for one
        // whose toString is not a function (an import used to abort on such a record with a 500).
        for (const [j, c] of calls.entries()) {
          const fn = c.function ?? (m.function_call as ToolCall["function"]);
          if (fn !== undefined && (fn === null || typeof fn !== "object")) return { ok: false, path: `${field}[${i}].tool_calls[${j}].function`, message: "expected an object { name, arguments }" };
          if (fn?.name !== undefined && fn.name !== null && idText(fn.name) === undefined) return { ok: false, path: `${field}[${i}].tool_calls[${j}].function.name`, message: "expected a string" };
          if (c.id !== undefined && c.id !== null && idText(c.id) === undefined) return { ok: false, path: `${field}[${i}].tool_calls[${j}].id`, message: "expected a string" };
        }
        const names = calls.map((c) => idText(c.function?.name) ?? "unknown");
        if (content.trim()) steps.push({ type: "thinking", reasoning: content, toolChoice: names.join(", ") });
        for (const [j, c] of calls.entries()) {
          pending.set(idText(c.id) ?? `${i}-${j}`, steps.length);
          if (m.function_call) pending.set(`fn:${names[j]}`, steps.length);
          steps.push({ type: "tool_call", name: names[j]!, arguments: parseArgs(c.function?.arguments), success: true });
        }
        break;
      }
      case "tool":
      case "function": {
        const ref = m.role === "tool" ? m.tool_call_id : m.name;
        if (ref !== undefined && ref !== null && idText(ref) === undefined) return { ok: false, path: `${field}[${i}].${m.role === "tool" ? "tool_call_id" : "name"}`, message: "expected a string" };
        const key = m.role === "tool" ? (idText(ref) ?? "") : `fn:${idText(ref) ?? ""}`;
        const at = pending.get(key);
        if (at === undefined) break; // a result without its call: nothing to attach it to
        pending.delete(key);
        steps[at] = { ...(steps[at] as ToolCallInput), success: true, response: content };
        toolResults.push({ step: at, content });
        break;
      }
      default:
        break;
    }
  }
  for (const at of pending.values()) {
    const step = steps[at] as Extract<TraceStep, { type: "tool_call" }>;
    if (step.response === undefined && !step.error) steps[at] = { ...step, success: false, error: "no tool result in the log" };
  }
  if (!options.deferErrorCheck) markFailedToolCalls({ steps } as TraceInput, toolResults, toolResults.map((r) => errorPattern.test(r.content)));
  const outcome = toOutcome(getPath(rec, options.outcomeField ?? "outcome"), options.successThreshold ?? 0.5);
  // The id is the record's own id, else a hash of the record: importing the same file twice
  // finds the same ids and adds nothing.
  const id = typeof rec["id"] === "string" && rec["id"] ? `import-${rec["id"]}` : `import-${createHash("sha256").update(stringify(rec) ?? "").digest("hex").slice(0, 32)}`;
  const agent = options.agent ?? (typeof rec["agent"] === "string" && rec["agent"] ? rec["agent"] : "imported");
  const task = options.taskField === undefined ? undefined : taskValue(getPath(rec, options.taskField));
  return {
    ok: true,
    toolResults,
    trace: {
      id,
      agent,
      ...(task !== undefined ? { task } : {}),
      ...(input !== undefined ? { input } : {}),
      ...(output !== undefined ? { output } : {}),
      ...(outcome ? { outcome } : {}),
      startedAt: timestamp(rec) ?? options.defaultStartedAt ?? new Date(0).toISOString(),
      metadata: { source: "openai-chat-import", ...(system.length > 0 ? { systemPrompt: system.join("\n\n") } : {}), ...(typeof rec["model"] === "string" ? { model: rec["model"] } : {}) },
      steps,
    },
  };
}
