// The product's offline hashing embedder for tests, optionally under another model name (to
// exercise the one-model-per-index rule), counting its calls (to show what was not embedded).
import { HashingEmbedder } from "../../src/llm/hashing-embedder.js";
import type { Embedder } from "../../src/llm/embedder.js";

export type CountingEmbedder = Embedder & { readonly calls: number };

export function testEmbedder(options: { dimension?: number; model?: string } = {}): CountingEmbedder {
  const inner = new HashingEmbedder({ dimension: options.dimension ?? 384 });
  let calls = 0;
  return {
    model: options.model ?? inner.model,
    dimension: inner.dimension,
    get calls() {
      return calls;
    },
    embed(texts: string[]) {
      calls++;
      return inner.embed(texts);
    },
  };
}
