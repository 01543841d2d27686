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

/**
 * Tests run on the hashing embedder unless they ask for another one. The local sentence encoder
 * (the product's default) costs ~0.4–1.5 s of CPU and ~100 MiB in every process that loads it and
 * 10–40 ms per text embedded, and most tests do not depend on what vectors mean: one run of the
 * suite loaded it 40 times (issue 20, BENCHMARKS.md). createTestDatabase, runCli and startServe
 * add this unless the test sets EMBEDDER itself; tests of the product's default (lifecycle, the
 * compose environment) ask for no pin.
 */
export const TEST_EMBEDDER_ENV: Readonly<Record<string, string>> = { EMBEDDER: "hash" };
