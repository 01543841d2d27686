// The body of POST /v1/signatures/:name/run and the CLI's `run` input.
import { z } from "zod";
import { SemverSchema } from "../domain/compiled-version.js";
import { safeParseInput, invalidInput } from "../domain/input-safety.js";

export const SignatureRunRequestSchema = z.strictObject({
  inputs: z.record(z.string(), z.unknown(), { message: "expected an object of input fields" }),
  /** Pin an exact version (default: the latest served). */
  version: SemverSchema.optional(),
  /** Keeps the caller on one arm of a running canary (a user or session id). Default: the trace id. */
  canaryKey: z.string().min(1).max(200).optional(),
});
export type SignatureRunRequest = z.infer<typeof SignatureRunRequestSchema>;

export function parseSignatureRunRequest(body: unknown): SignatureRunRequest {
  const parsed = safeParseInput(SignatureRunRequestSchema, body);
  if (!parsed.ok) throw invalidInput("run request", parsed.issues);
  return parsed.value;
}
