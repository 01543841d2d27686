// Conversion between our ChatModel types and the OpenAI wire format, and validation of what the
// endpoint sends back (never trusted: vLLM, Ollama and proxies differ in small ways).
import type OpenAI from "openai";
import { z } from "zod";
import { formatZodIssues } from "../domain/format-issues.js";
import type { ChatMessage, ChatRequest, ChatToolCall } from "./chat-model.js";
import { LlmError } from "./errors.js";

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type WireTool = OpenAI.Chat.Completions.ChatCompletionTool;

/** Our messages → OpenAI chat messages. */
export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    switch (m.role) {
      case "system":
        return { role: "system", content: m.content, ...(m.name ? { name: m.name } : {}) };
      case "user":
        return { role: "user", content: m.content, ...(m.name ? { name: m.name } : {}) };
      case "assistant":
        return {
          role: "assistant",
          // OpenAI wants null content next to tool calls; an empty string is rejected by some servers.
          content: m.toolCalls && m.toolCalls.length > 0 && m.content === "" ? null : m.content,
          ...(m.toolCalls && m.toolCalls.length > 0
            ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } })) }
            : {}),
        };
      case "tool":
        if (!m.toolCallId) throw new LlmError("bad_request", "a tool message needs toolCallId (the id of the call it answers)");
        return { role: "tool", content: m.content, tool_call_id: m.toolCallId };
    }
  });
}

/** The request body for /v1/chat/completions. */
/** `structured`: send `request.jsonSchema` as `response_format: json_schema` (else `json_object` when it or `json` asks for JSON). */
export function toWireRequest(request: ChatRequest, model: string, options: { structured?: boolean } = {}): OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming {
  const tools: WireTool[] | undefined = request.tools?.map((t) => ({
    type: "function",
    function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters },
  }));
  return {
    model: request.model ?? model,
    messages: toWireMessages(request.messages),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.jsonSchema && options.structured !== false
      ? { response_format: { type: "json_schema" as const, json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } } }
      : request.json || request.jsonSchema
        ? { response_format: { type: "json_object" as const } }
        : {}),
    ...(tools && tools.length > 0 ? { tools } : {}),
  };
}

const WireToolCallSchema = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional() }),
});

/** What we need from a completion; extra fields (logprobs, vendor additions) are ignored. */
export const WireCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable().optional(),
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z.array(WireToolCallSchema).nullable().optional(),
        }),
      }),
    )
    .min(1, "expected at least one choice"),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative(), prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).partial().nullish() }).partial().nullable().optional(),
});
export type WireCompletion = z.infer<typeof WireCompletionSchema>;

/** Validates a completion body; throws a retryable LlmError naming what is wrong. */
export function parseCompletion(body: unknown): WireCompletion {
  const parsed = WireCompletionSchema.safeParse(body);
  if (!parsed.success) {
    const shown = typeof body === "string" ? `text ${JSON.stringify(body.slice(0, 120))}` : formatZodIssues(parsed.error.issues);
    throw new LlmError("invalid_response", `chat completion is not valid: ${shown}`, { details: parsed.error.issues });
  }
  return parsed.data;
}

/** Tool calls of a completion's first choice in our shape (ids made up when a server omits them). */
export function toToolCalls(completion: WireCompletion): ChatToolCall[] {
  const calls = completion.choices[0]!.message.tool_calls ?? [];
  return calls.map((c, i) => ({
    id: c.id ?? `call_${i}`,
    name: c.function.name,
    // Some servers (older Ollama) send arguments as an object rather than a JSON string.
    arguments: typeof c.function.arguments === "string" ? c.function.arguments : JSON.stringify(c.function.arguments ?? {}),
  }));
}
