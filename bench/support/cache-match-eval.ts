// Measures labelled pairs for the semantic cache's second check, fits its model on the
// calibration part and scores any part, with the product's own functions (lexicalDifference,
// matchFeatures, verdictFor). Shared by bench/calibrate-cache-match.ts (fits) and
// bench/embeddings.bench.ts (reports).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Embedder } from "../../src/llm/embedder.js";
import { cosineSimilarity } from "../../src/domain/vector-math.js";
import { normalizeInputs } from "../../src/memory/normalize-inputs.js";
import { lexicalDifference, type LexicalDifference } from "../../src/memory/lexical-difference.js";
import { MATCH_FEATURES, judgedByModel, matchFeatures, verdictFor, type MatchFeatures, type MatchModel } from "../../src/memory/cache-match.js";
import { fitLogistic } from "./logistic-regression.js";
import type { PairLabel, PairSplit } from "../../test/support/embedding-pairs.js";

/** Most false hits allowed: 2 % of the negative (related + unrelated) pairs. */
export const FALSE_HIT_LIMIT = 0.02;
/** The one input field the pairs are looked up under, as in the benchmark's cache. */
export const FIELD = "question";
/**
 * The direction each feature may push, whatever this set says: a higher sentence cosine and more
 * alike differing words never count against a match; texts that get closer once their differing
 * words are removed never count for it (those words are what sets them apart). Without these the
 * fit learns how the set was written: its paraphrases are heavy rewrites whose cosine stays below
 * 0.89 and its related questions share words, so "more similar" came out as "more likely different".
 */
export const MATCH_FEATURE_SIGNS = [1, 1, -1];
/** Candidate lower bounds tried by the calibration. */
export const LOWER_BOUNDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

export interface EvalPair {
  /** The stored input (the item's question). */
  a: string;
  /** The new input looked up. */
  b: string;
  label: PairLabel;
  split: PairSplit | "minimal-edit";
}

export interface MeasuredPair extends EvalPair {
  similarity: number;
  diff: LexicalDifference;
  /** Only for reworded pairs without conflicting numbers (the ones the model judges). */
  features?: MatchFeatures;
}

/** The 45 minimal-edit pairs of bench/fixtures/paraphrase-pairs.json, never used for fitting: a second held-out set. */
export function minimalEditPairs(): EvalPair[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "paraphrase-pairs.json");
  const { pairs } = JSON.parse(readFileSync(file, "utf8")) as { pairs: { a: string; b: string; paraphrase: boolean }[] };
  return pairs.map((p) => ({ a: p.a, b: p.b, label: p.paraphrase ? "paraphrase" : "related", split: "minimal-edit" }));
}

/** Embeds every pair, its lexical difference and (for reworded pairs) the pieces the model reads. */
export async function measurePairs(embedder: Embedder, pairs: readonly EvalPair[]): Promise<MeasuredPair[]> {
  const texts = new Map<string, number>();
  const want = (t: string) => {
    if (t && !texts.has(t)) texts.set(t, texts.size);
  };
  const prepared = pairs.map((p) => {
    // As the cache sees a one-field signature's inputs ("question: ..."): the field name is part
    // of every stored text and moves cosines by a few hundredths.
    const a = normalizeInputs({ [FIELD]: p.a }).text;
    const b = normalizeInputs({ [FIELD]: p.b }).text;
    // As in a lookup: the new input first, the stored one second.
    const diff = lexicalDifference(b, a);
    for (const t of [a, b, ...diff.phrases, ...diff.skeletons]) want(t);
    return { p, a, b, diff };
  });
  const list = [...texts.keys()];
  const vectors: number[][] = [];
  for (let i = 0; i < list.length; i += 64) vectors.push(...(await embedder.embed(list.slice(i, i + 64))));
  const v = (t: string) => (t ? vectors[texts.get(t)!]! : null);
  return prepared.map(({ p, a, b, diff }) => {
    const similarity = cosineSimilarity(v(a)!, v(b)!);
    const judged = judgedByModel(diff);
    return {
      ...p,
      similarity,
      diff,
      ...(judged ? { features: matchFeatures(similarity, { phrases: [v(diff.phrases[0]), v(diff.phrases[1])], skeletons: [v(diff.skeletons[0]), v(diff.skeletons[1])] }) } : {}),
    };
  });
}

/** Whether the two-stage check serves the pair: cosine at least `lowerBound`, then the verdict. */
export function twoStageHit(m: MeasuredPair, model: MatchModel | undefined, lowerBound: number): boolean {
  return m.similarity >= lowerBound && verdictFor(m.diff, m.features, model).accept;
}

export interface Rates {
  paraphraseHits: number;
  falseHits: number;
  relatedHits: number;
  unrelatedHits: number;
  paraphrases: number;
  negatives: number;
  /** Count of negatives served. */
  falseCount: number;
}

export function rates(pairs: readonly MeasuredPair[], hit: (m: MeasuredPair) => boolean): Rates {
  const of = (labels: PairLabel[]) => pairs.filter((p) => labels.includes(p.label));
  const share = (xs: MeasuredPair[]) => (xs.length ? xs.filter(hit).length / xs.length : 0);
  const negatives = of(["related", "unrelated"]);
  return {
    paraphraseHits: share(of(["paraphrase"])),
    falseHits: share(negatives),
    relatedHits: share(of(["related"])),
    unrelatedHits: share(of(["unrelated"])),
    paraphrases: of(["paraphrase"]).length,
    negatives: negatives.length,
    falseCount: negatives.filter(hit).length,
  };
}

export interface Calibration {
  model: MatchModel;
  /** Paraphrase hits and false hits on the calibration part at the chosen point. */
  onCalibration: Rates;
  /** Training rows of the chosen fit. */
  trainingRows: number;
}

/**
 * Fits the model on the calibration pairs for each lower bound, sets its probability threshold to
 * the lowest that keeps false hits within 2 % there, and keeps the lower bound that serves the
 * most paraphrases (ties: the higher bound).
 */
export function calibrate(measured: readonly MeasuredPair[], modelId: string): Calibration {
  const cal = measured.filter((m) => m.split === "calibration");
  let best: Calibration | undefined;
  for (const lowerBound of LOWER_BOUNDS) {
    const train = cal.filter((m) => m.features && m.similarity >= lowerBound);
    const positives = train.filter((m) => m.label === "paraphrase").length;
    if (positives < 5 || train.length - positives < 5) continue;
    const fit = fitLogistic(
      train.map((m) => MATCH_FEATURES.map((f) => m.features![f])),
      train.map((m) => (m.label === "paraphrase" ? 1 : 0)),
      { signs: MATCH_FEATURE_SIGNS },
    );
    const draft: MatchModel = { lowerBound, ...fit, minProbability: 0, fittedOn: "" };
    // Every candidate's score at this bound: served regardless (same words), never, or the model's probability.
    const score = (m: MeasuredPair): number => {
      if (m.similarity < lowerBound) return -Infinity;
      const v = verdictFor(m.diff, m.features, draft);
      return v.probability ?? (v.accept ? Infinity : -Infinity);
    };
    const negatives = cal.filter((m) => m.label !== "paraphrase").map(score).sort((x, y) => y - x);
    const allowed = Math.floor(FALSE_HIT_LIMIT * negatives.length);
    const firstExcluded = negatives[allowed] ?? -Infinity;
    if (firstExcluded === Infinity) continue; // same-word negatives alone exceed the limit
    // Just above the highest negative that must be refused, rounded up to 4 decimals.
    const minProbability = Number.isFinite(firstExcluded) ? Math.ceil((firstExcluded + 1e-9) * 1e4) / 1e4 : 0.5;
    const model: MatchModel = { ...draft, minProbability };
    const onCalibration = rates(cal, (m) => twoStageHit(m, model, lowerBound));
    if (onCalibration.falseHits > FALSE_HIT_LIMIT) continue;
    if (!best || onCalibration.paraphraseHits >= best.onCalibration.paraphraseHits) {
      best = { model: { ...model, fittedOn: `${modelId}: ${train.length} reworded calibration pairs at cosine ≥ ${lowerBound} (${positives} paraphrases)` }, onCalibration, trainingRows: train.length };
    }
  }
  if (!best) throw new Error(`no lower bound keeps false hits within ${FALSE_HIT_LIMIT * 100} % for ${modelId}`);
  return best;
}
