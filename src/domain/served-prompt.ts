// What GET /v1/prompts/:name answers and the SDK's getPrompt returns: the version a tenant is
// served now, rendered for an agent that calls its model itself (system prompt with guidelines,
// demos as chat turns, the output schema, the tools) plus the version id its traces report.
import { z } from "zod";
import { ModelSettingsSchema, SignatureFieldSchema, SignatureToolSchema } from "./signature.js";

export const PromptMessageSchema = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });

export const ServedPromptSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** True while the tenant has no compiled version yet (the hand-written prompt as 1.0.0). */
  baseline: z.boolean(),
  /** Hash of the version's content: the ETag of the endpoint, so a refresh of an unchanged prompt is a 304. */
  contentHash: z.string(),
  /** Description, instructions, guidelines, input fields and output format with its JSON Schema. */
  system: z.string(),
  /** Demos as alternating user/assistant turns, placed between the system message and the call's input. */
  demos: z.array(PromptMessageSchema),
  inputs: z.array(SignatureFieldSchema),
  outputs: z.array(SignatureFieldSchema),
  /** JSON Schema of the answer (one object holding the output fields). */
  outputSchema: z.record(z.string(), z.unknown()),
  tools: z.array(SignatureToolSchema).default([]),
  model: ModelSettingsSchema,
});
export type ServedPrompt = z.infer<typeof ServedPromptSchema>;
export type PromptMessage = z.infer<typeof PromptMessageSchema>;
