// Measures labelled pairs for the semantic cache's second check, fits its model on the
// calibration part and scores any part, with the product's own functions (lexicalDifference,
// matchFeatures, verdictFor). Shared by bench/calibrate-cache-match.ts (fits) and
// bench/embeddings.bench.ts (reports).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Embedder } from "../../src/llm/embedder.js";
import { cosineSimilarity } from "../../src/domain/vector-math.js";
import { fieldValues, normalizeInputs } from "../../src/memory/normalize-inputs.js";
import { lexicalDifference, type LexicalDifference } from "../../src/memory/lexical-difference.js";
import { MATCH_FEATURES, judgedByModel, matchFeatures, verdictFor, type MatchFeatures, type MatchModel } from "../../src/memory/cache-match.js";
import { fitLogistic } from "./logistic-regression.js";
import type { LabelledItem, PairLabel, PairSplit } from "../../test/support/embedding-pairs.js";
import { DEFAULT_CACHE_CANDIDATES } from "../../src/memory/semantic-cache.js";

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

/** Vectors by text, so that texts shared by many pairs are embedded once. */
export type VectorCache = Map<string, number[]>;

async function embedAll(embedder: Embedder, texts: Iterable<string>, cache: VectorCache): Promise<void> {
  const missing = [...new Set(texts)].filter((t) => t && !cache.has(t));
  for (let i = 0; i < missing.length; i += 64) {
    const chunk = missing.slice(i, i + 64);
    (await embedder.embed(chunk)).forEach((v, j) => cache.set(chunk[j]!, v));
  }
}

/** As the cache sees a one-field signature's inputs ("question: ..."): the field name is part of every stored text and moves cosines by a few hundredths. */
const asStored = (text: string) => normalizeInputs({ [FIELD]: text }).text;

/** Embeds every pair, its lexical difference and (for reworded pairs) the pieces the model reads. */
export async function measurePairs(embedder: Embedder, pairs: readonly EvalPair[], cache: VectorCache = new Map()): Promise<MeasuredPair[]> {
  const prepared = pairs.map((p) => {
    const a = asStored(p.a);
    const b = asStored(p.b);
    // As in a lookup: the new input first, the stored one second, their field values only.
    const diff = lexicalDifference(fieldValues(b), fieldValues(a));
    return { p, a, b, diff };
  });
  await embedAll(embedder, prepared.flatMap(({ a, b, diff }) => [a, b, ...diff.phrases, ...diff.skeletons]), cache);
  const v = (t: string) => (t ? cache.get(t)! : null);
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

/** One lookup in a cache holding a part's questions and related questions: its candidates, nearest first. */
export interface CacheLookupCase {
  split: PairSplit;
  /** The stored inputs nearest to the query (at most the cache's candidate count, cosine ≥ the lowest bound tried), labelled against it: `paraphrase` = its own question (the right answer), `related` = its own related question, `unrelated` = another item's entry. */
  candidates: MeasuredPair[];
}

/**
 * The lookups the cache makes when each part's questions and related questions are stored and each
 * of its paraphrases is looked up: every stored input is ranked by exact cosine (the service uses
 * HNSW, which may rarely miss one). These pairs are the negatives a deployed cache meets that the
 * labelled pairs do not hold: a paraphrase beside another item's question, or beside its own item's
 * related question.
 */
export async function measureCacheLookups(embedder: Embedder, items: readonly LabelledItem[], cache: VectorCache = new Map()): Promise<CacheLookupCase[]> {
  await embedAll(embedder, items.flatMap((it) => [asStored(it.question), asStored(it.related), asStored(it.paraphrase)]), cache);
  const out: CacheLookupCase[] = [];
  for (const split of ["calibration", "held-out"] as const) {
    const part = items.map((it, i) => ({ it, i })).filter(({ it }) => it.split === split);
    const stored = part.flatMap(({ it, i }) => [
      { text: it.question, item: i, kind: "question" },
      { text: it.related, item: i, kind: "related" },
    ]);
    for (const { it, i } of part) {
      const q = cache.get(asStored(it.paraphrase))!;
      const ranked = stored
        .map((s) => ({ s, cos: cosineSimilarity(q, cache.get(asStored(s.text))!) }))
        .filter((r) => r.cos >= Math.min(...LOWER_BOUNDS))
        .sort((x, y) => y.cos - x.cos)
        .slice(0, DEFAULT_CACHE_CANDIDATES);
      const pairs: EvalPair[] = ranked.map(({ s }) => ({
        a: s.text,
        b: it.paraphrase,
        label: s.item !== i ? "unrelated" : s.kind === "question" ? "paraphrase" : "related",
        split,
      }));
      out.push({ split, candidates: await measurePairs(embedder, pairs, cache) });
    }
  }
  return out;
}

/** What the cache serves for each lookup: the nearest candidate within the bound that the check accepts. */
export function cacheServes(lookups: readonly CacheLookupCase[], hit: (m: MeasuredPair) => boolean): { right: number; wrong: number; none: number; lookups: number } {
  const r = { right: 0, wrong: 0, none: 0, lookups: lookups.length };
  for (const l of lookups) {
    const served = l.candidates.find(hit);
    r[!served ? "none" : served.label === "paraphrase" ? "right" : "wrong"]++;
  }
  return r;
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
  /** Paraphrase hits and false hits on the calibration part's labelled pairs at the chosen point. */
  onCalibration: Rates;
  /** What the calibration part's cache serves at the chosen point. */
  cacheOnCalibration: ReturnType<typeof cacheServes>;
  /** Training rows of the chosen fit. */
  trainingRows: number;
  /** Every lower bound tried: the best point there, or why there was none. */
  tried: string[];
}

/**
 * For each lower bound: fits the model on the calibration part's judged rows (its labelled pairs,
 * and the candidates of its cache lookups), then sets the probability threshold to the lowest at
 * which both false hits on the labelled pairs and wrong answers served by its cache stay within
 * 2 %. Keeps the lower bound that serves the most paraphrases of the labelled pairs (ties: the
 * higher bound).
 */
export function calibrate(measured: readonly MeasuredPair[], lookups: readonly CacheLookupCase[], modelId: string): Calibration {
  const cal = measured.filter((m) => m.split === "calibration");
  const calLookups = lookups.filter((l) => l.split === "calibration");
  let best: Calibration | undefined;
  const tried: string[] = [];
  for (const lowerBound of LOWER_BOUNDS) {
    const seen = new Set<string>();
    const train = [...cal, ...calLookups.flatMap((l) => l.candidates)].filter((m) => {
      const id = `${m.a}\u0000${m.b}`;
      if (!m.features || m.similarity < lowerBound || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const positives = train.filter((m) => m.label === "paraphrase").length;
    if (positives < 5 || train.length - positives < 5) {
      tried.push(`${lowerBound}: too few rows to fit (${positives} paraphrases, ${train.length - positives} others)`);
      continue;
    }
    const fit = fitLogistic(
      train.map((m) => MATCH_FEATURES.map((f) => m.features![f])),
      train.map((m) => (m.label === "paraphrase" ? 1 : 0)),
      { signs: MATCH_FEATURE_SIGNS },
    );
    const at = (minProbability: number): MatchModel => ({ lowerBound, ...fit, minProbability, fittedOn: "" });
    const feasible = (model: MatchModel) => {
      const hit = (m: MeasuredPair) => twoStageHit(m, model, lowerBound);
      return rates(cal, hit).falseHits <= FALSE_HIT_LIMIT && cacheServes(calLookups, hit).wrong <= FALSE_HIT_LIMIT * calLookups.length;
    };
    // Candidate thresholds: just above each probability a negative row gets, lowest first.
    const probabilities = [...cal, ...calLookups.flatMap((l) => l.candidates)]
      .filter((m) => m.features && m.label !== "paraphrase")
      .map((m) => verdictFor(m.diff, m.features, at(0)).probability!)
      .map((p) => Math.ceil((p + 1e-9) * 1e4) / 1e4);
    const minProbability = [0, ...new Set(probabilities)].sort((x, y) => x - y).find((p) => feasible(at(p)));
    if (minProbability === undefined) {
      tried.push(`${lowerBound}: no probability threshold keeps both within 2 %`);
      continue;
    }
    const model = at(minProbability);
    const hit = (m: MeasuredPair) => twoStageHit(m, model, lowerBound);
    const onCalibration = rates(cal, hit);
    const served = cacheServes(calLookups, hit);
    tried.push(`${lowerBound}: min probability ${minProbability}, paraphrase hits ${(onCalibration.paraphraseHits * 100).toFixed(1)} %, false hits ${onCalibration.falseCount}, cache right ${served.right} wrong ${served.wrong}`);
    if (!best || onCalibration.paraphraseHits >= best.onCalibration.paraphraseHits) {
      best = {
        model: { ...model, fittedOn: `${modelId}: ${train.length} judged calibration rows at cosine ≥ ${lowerBound} (${positives} paraphrases)` },
        onCalibration,
        cacheOnCalibration: served,
        trainingRows: train.length,
        tried,
      };
    }
  }
  if (!best) throw new Error(`no lower bound keeps false hits within ${FALSE_HIT_LIMIT * 100} % for ${modelId}`);
  return { ...best, tried };
}
