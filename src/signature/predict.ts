// One call of a compiled signature: validate inputs, render, call the model, parse and validate
// the answer, and repair it once by telling the model what was wrong. The orchestrator and the
// compiler's evaluation both call this.
import { AppError, ValidationError } from "../errors.js";
import type { ChatMessage, ChatModel, ChatUsage } from "../llm/chat-model.js";
import type { CompiledVersion } from "../domain/compiled-version.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { fieldsZodSchema, structuredOutputSchema } from "./field-schemas.js";
import { parseAnswer } from "./parse-answer.js";
import { renderMessages, renderRepairPrompt } from "./render.js";

export type PredictableVersion = Pick<CompiledVersion, "name" | "description" | "inputs" | "outputs" | "instructions" | "guidelines" | "demos" | "model">;

/** The model's answer stayed invalid after the repair retry. */
export class InvalidModelOutputError extends AppError {
  constructor(message: string, details: { problems: string; content: string; calls: number; usage: ChatUsage }) {
    super("invalid_model_output", message, { status: 502, isRetryable: false, details });
  }
}

export interface PredictOptions {
  /** Repair retries after an invalid answer. Default 1. */
  repairs?: number;
  /** Per-call timeout in milliseconds (default: the model adapter's). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the version's temperature (e.g. for sampling several candidates). */
  temperature?: number;
  /** Sampling seed sent with every call (OpenAI `seed`), for reproducible evaluations. Default: none. */
  seed?: number;
}

export interface Prediction {
  outputs: Record<string, unknown>;
  usage: ChatUsage;
  /** Model calls made (1, or 2 when repaired). */
  calls: number;
  repaired: boolean;
  /** The conversation, for traces (`llm_call` steps). */
  messages: ChatMessage[];
  /** How the last call asked for its format: `json_schema` (constrained decoding) or `json_object` (schema in the prompt only). */
  responseFormat: "json_schema" | "json_object";
}

/** Validates call inputs against the signature's input fields; the error names each field. */
export function validateInputs(version: Pick<CompiledVersion, "name" | "inputs">, inputs: unknown): Record<string, unknown> {
  const parsed = fieldsZodSchema(version.inputs).safeParse(inputs);
  if (!parsed.success) throw new ValidationError(`inputs of ${version.name}: ${formatZodIssues(parsed.error.issues)}`, { issues: parsed.error.issues });
  return parsed.data as Record<string, unknown>;
}

/** Runs the signature once on `inputs`. Throws ValidationError, InvalidModelOutputError, or the model's errors. */
export async function predict(model: ChatModel, version: PredictableVersion, inputs: Record<string, unknown>, options: PredictOptions = {}): Promise<Prediction> {
  const values = validateInputs(version, inputs);
  return completeValidated(model, renderMessages(version, values), version, options);
}

/** The strict json_schema a version's answer is asked in, under a name the endpoint accepts; undefined when its outputs cannot be expressed strictly. */
export function answerJsonSchema(version: Pick<PredictableVersion, "name" | "outputs">): { name: string; schema: Record<string, unknown> } | undefined {
  const schema = structuredOutputSchema(version.outputs);
  // Letters, digits, _ and - (OpenAI: ^[a-zA-Z0-9_-]{1,64}$).
  return schema ? { name: version.name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer", schema } : undefined;
}

/** Adds one response's token usage to a running total (cached prompt tokens only when reported). */
export function addUsage(total: ChatUsage, usage: ChatUsage): void {
  total.promptTokens += usage.promptTokens;
  total.completionTokens += usage.completionTokens;
  if (usage.cachedPromptTokens) total.cachedPromptTokens = (total.cachedPromptTokens ?? 0) + usage.cachedPromptTokens;
}

/**
 * Sends a rendered conversation and validates the answer against `version.outputs`, repairing
 * it up to `options.repairs` times. For callers that render their own messages (the judge).
 */
export async function completeValidated(
  model: ChatModel,
  conversation: ChatMessage[],
  version: Pick<PredictableVersion, "name" | "outputs" | "model">,
  options: PredictOptions = {},
): Promise<Prediction> {
  const messages = [...conversation];
  const usage: ChatUsage = { promptTokens: 0, completionTokens: 0 };
  const repairs = options.repairs ?? 1;
  let calls = 0;
  const jsonSchema = answerJsonSchema(version);
  for (;;) {
    const response = await model.complete({
      messages,
      ...(version.model.model ? { model: version.model.model } : {}),
      temperature: options.temperature ?? version.model.temperature,
      maxTokens: version.model.maxTokens,
      json: true,
      ...(jsonSchema ? { jsonSchema } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    calls++;
    addUsage(usage, response.usage);
    messages.push({ role: "assistant", content: response.content });
    const responseFormat = response.responseFormat === "json_schema" ? "json_schema" : "json_object";
    const parsed = parseAnswer(response.content, version.outputs);
    if (parsed.ok) return { outputs: parsed.outputs, usage, calls, repaired: calls > 1, messages, responseFormat };
    if (calls > repairs) {
      throw new InvalidModelOutputError(`${version.name}: the model's answer is invalid after ${calls - 1} repair(s): ${parsed.problems}`, {
        problems: parsed.problems,
        content: response.content,
        calls,
        usage,
      });
    }
    messages.push({ role: "user", content: renderRepairPrompt(parsed.problems) });
  }
}
