// Evaluation datasets: inputs with expected outputs, from a JSONL file (one item a line) or from
// the held-out split of a signature's stored traces (config `eval_holdout_fraction`), which
// compiling never reads. Items are validated against the signature's fields.
import { readFile } from "node:fs/promises";
import type pg from "pg";
import { z } from "zod";
import type { Signature } from "../../domain/signature.js";
import { formatZodIssues } from "../../domain/format-issues.js";
import { ValidationError } from "../../errors.js";
import { fieldsZodSchema } from "../../signature/field-schemas.js";
import type { Example } from "../example.js";
import { hasGold } from "../example.js";
import { loadExamples } from "../load-examples.js";
import { isHeldOut } from "../split-examples.js";

/** One line of a JSONL dataset. `output` is accepted for `expected`. */
export const EvalItemSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).optional(),
    input: z.record(z.string(), z.unknown()),
    expected: z.record(z.string(), z.unknown()).optional(),
    output: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((i) => i.expected !== undefined || i.output !== undefined, { message: "needs `expected` (the correct outputs)" });
export type EvalItem = z.infer<typeof EvalItemSchema>;

export interface EvalDataset {
  /** `file:<path>`, `traces:held-out` or `inline`. */
  source: string;
  examples: Example[];
}

/** Validates raw items against the signature; errors name the line (1-based) and the field. */
export function datasetFromItems(signature: Signature, items: readonly unknown[], source: string, lineOf: (i: number) => number = (i) => i + 1): EvalDataset {
  const inputSchema = fieldsZodSchema(signature.inputs);
  const examples: Example[] = [];
  items.forEach((raw, i) => {
    const where = `${source} line ${lineOf(i)}`;
    const item = EvalItemSchema.safeParse(raw);
    if (!item.success) throw new ValidationError(`${where}: ${formatZodIssues(item.error.issues)}`);
    const input = inputSchema.safeParse(item.data.input);
    if (!input.success) throw new ValidationError(`${where}: input does not fit ${signature.name}: ${formatZodIssues(input.error.issues)}`);
    examples.push({
      id: item.data.id === undefined ? `item-${lineOf(i)}` : String(item.data.id),
      input: input.data as Record<string, unknown>,
      output: (item.data.expected ?? item.data.output)!,
      success: true,
      score: null,
      feedback: null,
      startedAt: new Date(0).toISOString(),
    });
  });
  if (examples.length === 0) throw new ValidationError(`${source}: the dataset has no items`);
  const ids = new Set<string>();
  for (const e of examples) {
    if (ids.has(e.id)) throw new ValidationError(`${source}: item id "${e.id}" appears twice`);
    ids.add(e.id);
  }
  return { source, examples };
}

/** Reads a JSONL file: one JSON object a line, blank lines and `#` comments skipped. */
export async function readJsonlDataset(signature: Signature, file: string): Promise<EvalDataset> {
  const text = await readFile(file, "utf8").catch((e: Error) => {
    throw new ValidationError(`${file}: cannot read the dataset: ${e.message}`);
  });
  const items: unknown[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith("#")) return;
    try {
      items.push(JSON.parse(t));
    } catch (e) {
      throw new ValidationError(`${file} line ${i + 1}: not JSON: ${(e as Error).message}`);
    }
    lines.push(i + 1);
  });
  return datasetFromItems(signature, items, `file:${file}`, (i) => lines[i]!);
}

/**
 * The held-out split of the tenant's traces of `signature`: traces hashed into `fraction`, with a
 * gold output (successful, score at or above the metric threshold, or corrected: `outcome.expected`).
 */
export async function heldOutDataset(pool: pg.Pool, tenant: string, signature: Signature, fraction: number): Promise<EvalDataset> {
  if (fraction <= 0) throw new ValidationError("no held-out split: set eval_holdout_fraction (e.g. 0.2) so compiling leaves part of the traces for evaluation, then collect traces again");
  const loaded = await loadExamples(pool, tenant, signature);
  const examples = loaded.examples.filter((e) => isHeldOut(e.id, fraction) && hasGold(e, signature.metric.threshold));
  if (examples.length === 0) throw new ValidationError(`no held-out traces of ${signature.name} with a gold output for tenant ${tenant} (${loaded.examples.length} traces, eval_holdout_fraction ${fraction})`);
  return { source: "traces:held-out", examples };
}
