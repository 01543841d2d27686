// Request schemas of the simulator's OpenAI-compatible endpoints (validated like a real server
// would, with OpenAI-shaped 400 errors naming the field).
import { z } from "zod";

export const SimMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), type: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  tool_call_id: z.string().optional(),
});
export type SimMessage = z.infer<typeof SimMessageSchema>;

export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(SimMessageSchema).min(1, "must contain at least one message"),
  tools: z.array(z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string(), parameters: z.unknown().optional() }) })).optional(),
  tool_choice: z.unknown().optional(),
  response_format: z
    .looseObject({ type: z.enum(["text", "json_object", "json_schema"]), json_schema: z.looseObject({ name: z.string().optional(), strict: z.boolean().nullish(), schema: z.record(z.string(), z.unknown()).optional() }).optional() })
    .optional(),
  n: z.number().int().min(1).max(16).optional(),
  seed: z.number().int().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const EmbeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1, "must contain at least one text")]),
  dimensions: z.number().int().min(8).max(8192).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
});
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;

/** OpenAI-shaped error body. */
export function wireError(message: string, type = "invalid_request_error", param: string | null = null, code: string | null = null) {
  return { error: { message, type, param, code } };
}
