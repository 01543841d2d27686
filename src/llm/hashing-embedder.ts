// The dependency-free default Embedder: signed feature hashing of word unigrams, bigrams and
// character n-grams into a fixed dimension, with sublinear tf and L2 normalisation. Works offline,
// is deterministic across runs and machines, and puts lexical paraphrases clearly closer than
// unrelated texts. Hand-written on purpose: the embedded default must not download a model.
import type { Embedder } from "./embedder.js";
import { extractFeatures, type FeatureOptions } from "./text-features.js";
import { l2Norm } from "../domain/vector-math.js";

// Re-exported: callers of the hashing embedder compare its vectors with it.
export { cosineSimilarity } from "../domain/vector-math.js";

export interface HashingEmbedderOptions extends FeatureOptions {
  /** Vector dimension (default 384, the size of common small sentence-embedding models). */
  dimension?: number;
}

/** Relative weights of the feature groups; words dominate, n-grams catch morphology and typos. */
const GROUP_WEIGHTS = { words: 1.0, bigrams: 0.5, chars: 0.6 } as const;

/** 32-bit FNV-1a over UTF-16 code units, seeded; fast and stable everywhere. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche so nearby strings spread over all buckets.
  return fmix32(h);
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SIGN_SEED = 0x9747b28c;

/** Hashing embedder; model id `hash-<dimension>`. */
export class HashingEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;
  private readonly features: FeatureOptions;

  constructor(options: HashingEmbedderOptions = {}) {
    const dimension = options.dimension ?? 384;
    if (!Number.isInteger(dimension) || dimension < 8) throw new RangeError(`dimension must be an integer >= 8 (got ${dimension})`);
    this.dimension = dimension;
    this.model = `hash-${dimension}`;
    this.features = { minN: options.minN ?? 3, maxN: options.maxN ?? 5 };
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Synchronous single-text embedding (the simulator and benchmarks use it directly). */
  embedOne(text: string): number[] {
    const groups = extractFeatures(text, this.features);
    const out = new Float64Array(this.dimension);
    for (const [group, weight] of Object.entries(GROUP_WEIGHTS) as [keyof typeof GROUP_WEIGHTS, number][]) {
      const vec = new Float64Array(this.dimension);
      for (const [feature, value] of groups[group]) {
        const h = fnv1a32(feature);
        const bucket = h % this.dimension;
        // The sign comes from a re-mix of the same hash: independent of the bucket, one pass over the string.
        const sign = fmix32(h ^ SIGN_SEED) & 1 ? 1 : -1;
        vec[bucket]! += sign * value;
      }
      // Each group is normalised before mixing so long texts' many n-grams cannot drown the words.
      const norm = l2Norm(vec);
      if (norm > 0) for (let i = 0; i < this.dimension; i++) out[i]! += (weight * vec[i]!) / norm;
    }
    const norm = l2Norm(out);
    return Array.from(out, (v) => (norm > 0 ? v / norm : 0));
  }
}
