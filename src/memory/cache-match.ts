// The semantic cache's second check: the vector search returns the stored inputs within the
// cosine threshold, and this decides, candidate by candidate, whether one asks the same thing.
//  - Numbers that conflict ("top 5" / "top 10", order 4411 / 4412): a different request.
//  - Questions asking for different kinds of answer (a reason / a quantity, answer-type.ts): a
//    different request.
//  - The same content words (order, inflection, fillers aside): the same request.
//  - Mostly the same words but a few differ: those few decide, and nothing here can tell a
//    synonym from an antonym reliably (the encoder scores "enable"/"disable" 0.74 alike, closer
//    than many true synonyms): a different request. A wrong answer costs more than a miss.
//  - Reworded texts: a logistic model on three measurements — the sentence cosine, the cosine of
//    the differing words as phrases, and how much closer the texts get without those words —
//    whose coefficients were fitted on the calibration part of the labelled pairs
//    (bench/calibrate-cache-match.ts → cache-match-calibration.ts). An embedder without fitted
//    coefficients keeps the cosine threshold alone for reworded texts.
import type { Embedder } from "../llm/embedder.js";
import { cosineSimilarity } from "../domain/vector-math.js";
import { lexicalDifference, type LexicalDifference } from "./lexical-difference.js";
import { CALIBRATED_MATCH_MODELS, type MatchModel } from "./cache-match-calibration.js";

export type { MatchModel } from "./cache-match-calibration.js";

/** The measurements the logistic model reads, in its coefficient order. */
export const MATCH_FEATURES = ["cosine", "phraseSimilarity", "skeletonGain"] as const;
export type MatchFeatures = Record<(typeof MATCH_FEATURES)[number], number>;

export interface MatchCandidate {
  /** The stored input text (normalized as it was embedded). */
  text: string;
  /** Cosine similarity of its vector to the query's. */
  similarity: number;
}

export interface MatchVerdict {
  accept: boolean;
  /** What decided: the kind of lexical difference, `numbers` for conflicting numbers, `answer-type` for questions asking for different kinds of answer. */
  basis: "numbers" | "answer-type" | LexicalDifference["kind"];
  /** The logistic model's probability that the texts ask the same thing (reworded texts with a fitted model only). */
  probability?: number;
  /** The words that differ, for logs: `first words | second words`. */
  differing: string;
}

export interface CacheMatcher {
  /** The fitted model for the embedder's vectors, if there is one. */
  modelFor(model: string): MatchModel | undefined;
  /** Judges each candidate against the query text; embeds what the reworded ones need in one call. */
  judge(query: string, candidates: readonly MatchCandidate[]): Promise<MatchVerdict[]>;
}

/** The logistic model's probability for one candidate's features. */
export function matchProbability(model: MatchModel, features: MatchFeatures): number {
  let z = model.bias;
  MATCH_FEATURES.forEach((name, i) => {
    z += (model.weights[i]! * (features[name] - model.mean[i]!)) / model.scale[i]!;
  });
  return 1 / (1 + Math.exp(-z));
}

/** The three measurements, given the embeddings of the difference's phrases and skeletons. */
export function matchFeatures(similarity: number, vectors: { phrases: [number[] | null, number[] | null]; skeletons: [number[] | null, number[] | null] }): MatchFeatures {
  const cos = (x: number[] | null, y: number[] | null) => (x && y ? cosineSimilarity(x, y) : 0);
  return {
    cosine: similarity,
    phraseSimilarity: cos(...vectors.phrases),
    skeletonGain: cos(...vectors.skeletons) - similarity,
  };
}

/** Whether the logistic model decides this difference (reworded, and no rule decided first). */
export function judgedByModel(d: LexicalDifference): boolean {
  return d.kind === "reworded" && !d.numberConflict && !d.answerTypeConflict;
}

/**
 * The verdict on one candidate from its lexical difference and, for reworded texts, its measured
 * features (needed only when `model` is given). Pure: the calibration script scores with it too.
 */
export function verdictFor(d: LexicalDifference, features: MatchFeatures | undefined, model: MatchModel | undefined): MatchVerdict {
  const differing = `${d.onlyFirst.join(" ")} | ${d.onlySecond.join(" ")}`;
  if (d.numberConflict) return { accept: false, basis: "numbers", differing };
  if (d.answerTypeConflict) return { accept: false, basis: "answer-type", differing: `${d.answerTypes[0]} | ${d.answerTypes[1]}` };
  if (d.kind === "same") return { accept: true, basis: "same", differing };
  if (d.kind === "minimal") return { accept: false, basis: "minimal", differing };
  if (!model) return { accept: true, basis: "reworded", differing };
  if (!features) throw new Error("verdictFor: a reworded candidate needs its features when a model is given");
  const probability = matchProbability(model, features);
  return { accept: probability >= model.minProbability, basis: "reworded", probability, differing };
}

/**
 * Builds the second check over `embedder` (the one that made the stored vectors).
 * `models`: fitted coefficients per embedder model id. Default: the calibrated ones.
 */
export function createCacheMatcher(embedder: Embedder, models: Readonly<Record<string, MatchModel>> = CALIBRATED_MATCH_MODELS): CacheMatcher {
  const modelFor = (model: string) => models[model];
  return {
    modelFor,
    async judge(query, candidates) {
      // The embedder's model is read per call: the local encoder's fallback may replace it once.
      const model = modelFor(embedder.model);
      const diffs = candidates.map((c) => lexicalDifference(query, c.text));
      const needed = new Map<string, number>();
      const want = (text: string) => {
        if (text && !needed.has(text)) needed.set(text, needed.size);
      };
      if (model) {
        for (const d of diffs) {
          if (!judgedByModel(d)) continue;
          for (const text of [...d.phrases, ...d.skeletons]) want(text);
        }
      }
      const vectors = needed.size > 0 ? await embedder.embed([...needed.keys()]) : [];
      const vectorOf = (text: string) => (text ? (vectors[needed.get(text) ?? -1] ?? null) : null);
      return diffs.map((d, i) => {
        const features =
          model && judgedByModel(d)
            ? matchFeatures(candidates[i]!.similarity, {
                phrases: [vectorOf(d.phrases[0]), vectorOf(d.phrases[1])],
                skeletons: [vectorOf(d.skeletons[0]), vectorOf(d.skeletons[1])],
              })
            : undefined;
        return verdictFor(d, features, model);
      });
    },
  };
}
