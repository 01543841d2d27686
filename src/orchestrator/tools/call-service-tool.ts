// One tool call the model asked for, answered by a service tool and recorded as a `tool_call` step.
import type { ChatToolCall } from "../../llm/chat-model.js";
import type { LlmCallStep, ToolCallStep } from "../../domain/trace.js";
import { formatZodIssues } from "../../domain/format-issues.js";
import type { Logger } from "../../log/logger.js";
import type { ResolvedTools } from "./resolve-signature-tools.js";

/**
 * Calls one service tool for the model and records it as a `tool_call` step: arguments, success,
 * response or error, duration. A tool's failure (bad arguments, a program that throws, a search
 * that fails) is answered to the model as an error it can act on, never thrown.
 */
export async function callServiceTool(tools: ResolvedTools, call: ChatToolCall, context: { tenant: string; signal?: AbortSignal }, steps: (LlmCallStep | ToolCallStep)[], logger: Logger): Promise<string> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const done = (args: Record<string, unknown>, result: { ok: true; response: string } | { ok: false; error: string }): string => {
    steps.push({ type: "tool_call", name: call.name, arguments: args, success: result.ok, ...(result.ok ? { response: result.response } : { error: result.error }), durationMs: performance.now() - t0, startedAt });
    return result.ok ? result.response : `error: ${result.error}`;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(call.arguments || "{}");
  } catch {
    return done({}, { ok: false, error: `the arguments are not valid JSON: ${call.arguments.slice(0, 200)}` });
  }
  const args = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : { value: raw };
  const tool = tools.byName.get(call.name);
  if (!tool) return done(args, { ok: false, error: `no tool named "${call.name}" is available (available: ${[...tools.byName.keys()].join(", ")})` });
  const parsed = tool.args.safeParse(args);
  if (!parsed.success) return done(args, { ok: false, error: `invalid arguments for ${call.name}: ${formatZodIssues(parsed.error.issues)}` });
  try {
    return done(args, await tool.call(parsed.data, context));
  } catch (e) {
    logger.warn({ name: "service-tool-failed", tool: call.name, err: e }, "a service tool failed");
    return done(args, { ok: false, error: `${call.name} failed: ${(e as Error)?.message ?? String(e)}` });
  }
}
