// The labelled sentence pairs of test/fixtures/embedding-pairs.json: for each item, its
// paraphrase (same request), its related question (same subject, different request) and one
// unrelated pair (the item's question beside the paraphrase of the item half the list away).
// Each item belongs to a fixed part: `calibration` (fits and thresholds are chosen on it) or
// `held-out` (only reported); an unrelated pair belongs to the part of its item.
import { readFileSync } from "node:fs";
import { z } from "zod";

const ItemSchema = z.object({ split: z.enum(["calibration", "held-out"]), domain: z.string(), question: z.string().min(1), paraphrase: z.string().min(1), related: z.string().min(1) });
const FileSchema = z.object({ description: z.string(), items: z.array(ItemSchema).min(1) });
export type LabelledItem = z.infer<typeof ItemSchema>;

export type PairLabel = "paraphrase" | "related" | "unrelated";
export type PairSplit = LabelledItem["split"];
export interface LabelledPair {
  a: string;
  b: string;
  label: PairLabel;
  /** Index of the item the pair comes from. */
  item: number;
  /** The part of the labelled set the pair's item belongs to. */
  split: PairSplit;
}

export function loadLabelledItems(): LabelledItem[] {
  const file = new URL("../fixtures/embedding-pairs.json", import.meta.url);
  return FileSchema.parse(JSON.parse(readFileSync(file, "utf8"))).items;
}

export function labelledPairs(items: readonly LabelledItem[] = loadLabelledItems()): LabelledPair[] {
  const half = Math.floor(items.length / 2);
  return items.flatMap((it, i) => [
    { a: it.question, b: it.paraphrase, label: "paraphrase" as const, item: i, split: it.split },
    { a: it.question, b: it.related, label: "related" as const, item: i, split: it.split },
    { a: it.question, b: items[(i + half) % items.length]!.paraphrase, label: "unrelated" as const, item: i, split: it.split },
  ]);
}
