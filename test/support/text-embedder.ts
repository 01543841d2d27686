// A deterministic, dependency-free Embedder for tests and benchmarks: feature hashing of word
// unigrams, word bigrams and character trigrams into 384 signed buckets, L2-normalized. It is a
// real embedder (similar wording → nearby vectors), not a stand-in returning scripted vectors;
// the product's default hashing embedder lives on the `llm` branch (src/llm/hashing-embedder.ts).
import type { Embedder } from "../../src/llm/embedder.js";

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface TextEmbedderOptions {
  /** Default 384. */
  dimension?: number;
  /** Default `test-hash-<dimension>`. */
  model?: string;
}

export function createTextEmbedder(options: TextEmbedderOptions = {}): Embedder & { calls: number } {
  const dimension = options.dimension ?? 384;
  const embedOne = (text: string): number[] => {
    const v = new Array<number>(dimension).fill(0);
    const words = text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      v[h % dimension]! += (h & 0x80000000 ? -1 : 1) * weight;
    };
    words.forEach((w, i) => {
      add(`w:${w}`, 1);
      if (i > 0) add(`b:${words[i - 1]} ${w}`, 0.7);
      const padded = `^${w}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.3);
    });
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  };
  const embedder = {
    model: options.model ?? `test-hash-${dimension}`,
    dimension,
    calls: 0,
    async embed(texts: string[]) {
      embedder.calls++;
      return texts.map(embedOne);
    },
  };
  return embedder;
}
