// Reads a signature's training examples from its traces (`traces.signature`), tenant-scoped.
// Inputs that do not fit the signature are skipped; outputs that do not fit are not gold.
import type pg from "pg";
import type { Signature } from "../domain/signature.js";
import { fieldsZodSchema } from "../signature/field-schemas.js";
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
  /** First and last start time of the examples read. */
  window?: { from: string; to: string };
}

interface TraceRow {
  id: string;
  input: unknown;
  output: unknown;
  success: boolean | null;
  score: number | null;
  feedback: string | null;
  started_at: Date;
}

/** Loads the examples of `signature` for `tenant`, oldest first. */
export async function loadExamples(pool: pg.Pool, tenant: string, signature: Signature, options: LoadExamplesOptions = {}): Promise<LoadedExamples> {
  const { rows } = await pool.query<TraceRow>(
    `SELECT id, input, output, success, score, feedback, started_at FROM (
       SELECT id, input, output, success, score, feedback, started_at FROM traces
        WHERE tenant_id = $1 AND signature = $2 AND input IS NOT NULL AND ($3::timestamptz IS NULL OR started_at >= $3)
        ORDER BY started_at DESC, id DESC LIMIT $4) recent
     ORDER BY started_at, id`,
    [tenant, signature.name, options.since ?? null, options.limit ?? 5000],
  );
  // Traces often carry more than the signature's fields (agent context); only the fields count.
  const pick = (value: unknown, names: string[]) =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => names.includes(k))) : value;
  const inputNames = signature.inputs.map((f) => f.name);
  const outputNames = signature.outputs.map((f) => f.name);
  const inputSchema = fieldsZodSchema(signature.inputs);
  const outputSchema = fieldsZodSchema(signature.outputs);
  const examples: Example[] = [];
  let skipped = 0;
  for (const row of rows) {
    const input = inputSchema.safeParse(pick(row.input, inputNames));
    if (!input.success) {
      skipped++;
      continue;
    }
    const output = outputSchema.safeParse(pick(row.output, outputNames));
    examples.push({
      id: row.id,
      input: input.data as Record<string, unknown>,
      output: output.success ? (output.data as Record<string, unknown>) : null,
      success: row.success,
      score: row.score,
      feedback: row.feedback,
      startedAt: row.started_at.toISOString(),
    });
  }
  const window = examples.length > 0 ? { from: examples[0]!.startedAt, to: examples.at(-1)!.startedAt } : undefined;
  return { examples, skipped, ...(window ? { window } : {}) };
}
