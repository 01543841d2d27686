// Turns a signature's traces (read by the collector, tenant-scoped) into training examples.
// Inputs that do not fit the signature are skipped; outputs that do not fit are not gold.
import type pg from "pg";
import { listSignatureTraces } from "../collector/query/list-signature-traces.js";
import type { Signature } from "../domain/signature.js";
import { fieldsZodSchema } from "../signature/field-schemas.js";
import type { z } from "zod";
import type { Example } from "./example.js";

export interface LoadExamplesOptions {
  /** Only traces that started at or after this instant. Default: no lower bound. */
  since?: Date;
  /** Most recent traces read at most. Default 5000. */
  limit?: number;
}

export interface LoadedExamples {
  examples: Example[];
  /** Traces skipped because their input does not match the signature's input fields. */
  skipped: number;
  /** Corrections (`outcome.expected`) ignored because they do not match the signature's output fields. */
  invalidCorrections: number;
  /** First and last start time of the examples read. */
  window?: { from: string; to: string };
}

/** Loads the examples of `signature` for `tenant`, oldest first. */
export async function loadExamples(pool: pg.Pool, tenant: string, signature: Signature, options: LoadExamplesOptions = {}): Promise<LoadedExamples> {
  const traces = await listSignatureTraces(pool, tenant, signature.name, options);
  // Traces often carry more than the signature's fields (agent context); only the fields count.
  const pick = (value: unknown, names: string[]) =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => names.includes(k))) : value;
  const inputNames = signature.inputs.map((f) => f.name);
  const outputNames = signature.outputs.map((f) => f.name);
  const inputSchema = fieldsZodSchema(signature.inputs);
  const outputSchema = fieldsZodSchema(signature.outputs);
  const examples: Example[] = [];
  let skipped = 0;
  let invalidCorrections = 0;
  for (const row of traces) {
    const input = inputSchema.safeParse(pick(row.input, inputNames));
    if (!input.success) {
      skipped++;
      continue;
    }
    const output = outputSchema.safeParse(pick(row.output ?? null, outputNames));
    // A correction names the output fields it corrects (at least one, each valid for its field);
    // one that does not fit the signature's outputs is no gold answer (counted, not used).
    const correction = readCorrection(row.outcome?.expected, outputNames, outputSchema);
    if (correction === "invalid") invalidCorrections++;
    const fixed = correction === "invalid" || correction === undefined ? undefined : correction;
    examples.push({
      id: row.id,
      input: input.data as Record<string, unknown>,
      output: output.success ? (output.data as Record<string, unknown>) : null,
      success: row.outcome?.success ?? null,
      score: row.outcome?.score ?? null,
      feedback: row.outcome?.feedback ?? null,
      // A whole correction stands alone; a partial one keeps the run's answer for the fields it leaves out.
      ...(fixed ? { expected: fixed.complete || !output.success ? fixed.fields : { ...(output.data as Record<string, unknown>), ...fixed.fields }, correctionComplete: fixed.complete } : {}),
      startedAt: row.startedAt,
    });
  }
  const window = examples.length > 0 ? { from: examples[0]!.startedAt, to: examples.at(-1)!.startedAt } : undefined;
  return { examples, skipped, invalidCorrections, ...(window ? { window } : {}) };
}

/** The output fields a correction sets, validated one by one; `complete` when they make a whole output. */
function readCorrection(expected: unknown, outputNames: string[], outputSchema: z.ZodObject): { fields: Record<string, unknown>; complete: boolean } | "invalid" | undefined {
  if (expected === undefined || expected === null) return undefined;
  if (typeof expected !== "object" || Array.isArray(expected)) return "invalid";
  const named = Object.fromEntries(Object.entries(expected).filter(([k]) => outputNames.includes(k)));
  if (Object.keys(named).length === 0) return "invalid";
  const partial = outputSchema.partial().safeParse(named);
  if (!partial.success) return "invalid";
  return { fields: partial.data as Record<string, unknown>, complete: outputSchema.safeParse(named).success };
}
