// The dependency-free default Embedder: signed feature hashing of word unigrams, bigrams and
// character n-grams into a fixed dimension, with sublinear tf and L2 normalisation. Works offline,
// is deterministic across runs and machines, and puts lexical paraphrases clearly closer than
// unrelated texts. Hand-written on purpose: the embedded default must not download a model.
import type { Embedder } from "./embedder.js";
import { extractFeatures, type FeatureOptions } from "./text-features.js";

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
      const norm = l2norm(vec);
      if (norm > 0) for (let i = 0; i < this.dimension; i++) out[i]! += (weight * vec[i]!) / norm;
    }
    const norm = l2norm(out);
    return Array.from(out, (v) => (norm > 0 ? v / norm : 0));
  }
}

/** Cosine similarity of two vectors of equal length (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in dimension: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function l2norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
