// One call of a signature that declares tools: the OpenAI tool-calling loop. The model gets the
// tools with every request; each `tool_calls` answer is executed (by the caller's `callTool`) and
// answered with one `role: tool` message per call; the final answer is parsed and validated like
// completeValidated's, with the same repair turn. Rounds of tool calls are bounded: a model that
// never stops calling tools ends in ToolRoundsExhaustedError, its calls so far counted.
import { AppError } from "../errors.js";
import type { ChatMessage, ChatModel, ChatToolCall, ChatToolSpec, ChatUsage } from "../llm/chat-model.js";
import type { CompiledTool } from "../domain/compiled-version.js";
import { addUsage, answerJsonSchema, InvalidModelOutputError, validateInputs, type PredictableVersion, type Prediction } from "./predict.js";
import { parseAnswer } from "./parse-answer.js";
import { renderMessages, renderRepairPrompt } from "./render.js";

/** The model kept calling tools past the round limit. */
export class ToolRoundsExhaustedError extends AppError {
  constructor(message: string, details: { rounds: number; calls: number; usage: ChatUsage }) {
    super("tool_rounds_exhausted", message, { status: 502, isRetryable: false, details });
  }
}

export interface ToolLoopOptions {
  /** The tools offered to the model (OpenAI `tools`). */
  tools: ChatToolSpec[];
  /** Executes one call the model asked for; what it returns is the `role: tool` message's content. Must not throw for a tool's own failure. */
  callTool: (call: ChatToolCall) => Promise<string>;
  /** Most rounds of tool calls before the model must answer. */
  maxRounds: number;
  /** Repair retries after an invalid answer. Default 1. */
  repairs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Sent with every model call (evaluations). */
  seed?: number;
}

export interface ToolLoopPrediction extends Prediction {
  /** Model answers that asked for tools. */
  toolRounds: number;
}

/** A version's tools as one run offers and answers them. */
export type ToolLoop = Pick<ToolLoopOptions, "tools" | "callTool" | "maxRounds">;

/**
 * Where a version's declared tools can run, for a tenant (the service's built-in tools: the
 * orchestrator provides it, the compiler evaluates with it). Undefined: the version declares no
 * tools, or tools this runner cannot call — its predictions then run without tools.
 */
export type ToolRunner = (version: Pick<PredictableVersion, "name"> & { tools?: readonly CompiledTool[] }, tenant: string) => ToolLoop | undefined;

/** predict() with a version's tools: validates the inputs, renders and runs the tool loop. */
export async function predictWithTools(model: ChatModel, version: PredictableVersion, inputs: Record<string, unknown>, loop: ToolLoop, options: Pick<ToolLoopOptions, "timeoutMs" | "signal" | "seed"> = {}): Promise<ToolLoopPrediction> {
  return completeWithTools(model, renderMessages(version, validateInputs(version, inputs)), version, { ...loop, ...options });
}

/** Runs the tool loop on a rendered conversation until the model answers; see the module header. */
export async function completeWithTools(
  model: ChatModel,
  conversation: ChatMessage[],
  version: Pick<PredictableVersion, "name" | "outputs" | "model">,
  options: ToolLoopOptions,
): Promise<ToolLoopPrediction> {
  const messages = [...conversation];
  const usage: ChatUsage = { promptTokens: 0, completionTokens: 0 };
  const repairs = options.repairs ?? 1;
  const jsonSchema = answerJsonSchema(version);
  let calls = 0;
  let toolRounds = 0;
  let repaired = 0;
  for (;;) {
    const response = await model.complete({
      messages,
      ...(version.model.model ? { model: version.model.model } : {}),
      temperature: version.model.temperature,
      maxTokens: version.model.maxTokens,
      json: true,
      ...(jsonSchema ? { jsonSchema } : {}),
      tools: options.tools,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    calls++;
    addUsage(usage, response.usage);
    if (response.toolCalls.length > 0) {
      if (toolRounds >= options.maxRounds) {
        throw new ToolRoundsExhaustedError(
          `${version.name}: the model was still calling tools (${response.toolCalls.map((c) => c.name).join(", ")}) after ${toolRounds} round(s) of tool calls, the limit (orchestrator_tool_max_rounds); no answer`,
          { rounds: toolRounds, calls, usage },
        );
      }
      toolRounds++;
      messages.push({ role: "assistant", content: response.content, toolCalls: response.toolCalls });
      // Calls of one round run in order: a tool's result may be what the next call of the same round reads.
      for (const call of response.toolCalls) messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: await options.callTool(call) });
      continue;
    }
    messages.push({ role: "assistant", content: response.content });
    const responseFormat = response.responseFormat === "json_schema" ? "json_schema" : "json_object";
    const parsed = parseAnswer(response.content, version.outputs);
    if (parsed.ok) return { outputs: parsed.outputs, usage, calls, repaired: repaired > 0, messages, responseFormat, toolRounds };
    if (repaired >= repairs) {
      throw new InvalidModelOutputError(`${version.name}: the model's answer is invalid after ${repaired} repair(s): ${parsed.problems}`, { problems: parsed.problems, content: response.content, calls, usage });
    }
    repaired++;
    messages.push({ role: "user", content: renderRepairPrompt(parsed.problems) });
  }
}
