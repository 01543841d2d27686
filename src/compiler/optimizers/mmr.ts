// Maximal marginal relevance: picks k items that are relevant (close to the query when the caller
// gives relevance scores, otherwise close to the pool's centroid) yet different from each other. Similarity comes from embeddings when available, or
// from token overlap (Jaccard) as the offline fallback.
import type { Embedder } from "../../llm/embedder.js";
import { cosineSimilarity as cosine } from "../../domain/vector-math.js";
import { normalizeText } from "../metrics/metric.js";

export interface MmrOptions {
  /** Trade-off between relevance (1) and diversity (0). Default 0.5. */
  lambda?: number;
  embedder?: Embedder;
  /** Relevance of each text to the query (e.g. similarity to the inputs to serve). Default: similarity to the pool as a whole. */
  relevance?: readonly number[];
}

const jaccard = (a: Set<string>, b: Set<string>) => {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
};

/** Pairwise similarity matrix and relevance (similarity to the pool as a whole) of each text. */
async function similarities(texts: string[], embedder?: Embedder): Promise<{ sim: number[][]; relevance: number[] }> {
  if (embedder) {
    const vectors = await embedder.embed(texts);
    const dim = vectors[0]?.length ?? 0;
    const centroid = Array.from({ length: dim }, (_, d) => vectors.reduce((s, v) => s + v[d]!, 0) / vectors.length);
    return { sim: vectors.map((a) => vectors.map((b) => cosine(a, b))), relevance: vectors.map((v) => cosine(v, centroid)) };
  }
  const tokens = texts.map((t) => new Set(normalizeText(t).split(" ").filter(Boolean)));
  const sim = tokens.map((a) => tokens.map((b) => jaccard(a, b)));
  return { sim, relevance: sim.map((row) => row.reduce((s, x) => s + x, 0) / row.length) };
}

/** Indices of the k selected texts, in selection order. Deterministic: ties go to the lower index. */
export async function selectMmr(texts: string[], k: number, options: MmrOptions = {}): Promise<number[]> {
  if (texts.length <= k) return texts.map((_, i) => i);
  const lambda = options.lambda ?? 0.5;
  if (options.relevance && options.relevance.length !== texts.length) throw new RangeError(`relevance has ${options.relevance.length} scores for ${texts.length} texts`);
  const computed = await similarities(texts, options.embedder);
  const sim = computed.sim;
  const relevance = options.relevance ?? computed.relevance;
  const selected: number[] = [];
  while (selected.length < k) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < texts.length; i++) {
      if (selected.includes(i)) continue;
      const redundancy = selected.length === 0 ? 0 : Math.max(...selected.map((j) => sim[i]![j]!));
      const score = lambda * relevance[i]! - (1 - lambda) * redundancy;
      if (score > bestScore + 1e-12) {
        best = i;
        bestScore = score;
      }
    }
    selected.push(best);
  }
  return selected;
}
