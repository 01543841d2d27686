// The body of POST /v1/signatures/:name/run and the CLI's `run` input.
import { z } from "zod";
import { SemverSchema } from "../domain/compiled-version.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { ValidationError } from "../errors.js";

export const SignatureRunRequestSchema = z.strictObject({
  inputs: z.record(z.string(), z.unknown(), { message: "expected an object of input fields" }),
  /** Pin an exact version (default: the latest served). */
  version: SemverSchema.optional(),
});
export type SignatureRunRequest = z.infer<typeof SignatureRunRequestSchema>;

export function parseSignatureRunRequest(body: unknown): SignatureRunRequest {
  const parsed = SignatureRunRequestSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(`Invalid run request: ${formatZodIssues(parsed.error.issues)}`, { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  return parsed.data;
}
