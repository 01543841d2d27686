// Bootstrap few-shot: k demos from successful training traces (success, and score at or above
// the metric threshold), chosen for diversity with MMR. The dev set never reaches here.
import type { Demo } from "../../domain/compiled-version.js";
import type { Signature } from "../../domain/signature.js";
import type { Embedder } from "../../llm/embedder.js";
import { isSuccessful, type Example } from "../example.js";
import { renderInputs } from "../render.js";
import { selectMmr } from "./mmr.js";
import type { Optimizer } from "./optimizer.js";

/** Successful training examples usable as demos, one per distinct input. */
export function demoPool(signature: Signature, trainset: Example[]): Example[] {
  const seen = new Set<string>();
  return trainset.filter((e) => {
    if (!isSuccessful(e, signature.metric.threshold)) return false;
    const key = renderInputs(signature.inputs, e.input);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const toDemo = (e: Example): Demo => ({ input: e.input, output: e.output ?? {}, traceId: e.id });

/** Picks up to k diverse demos from the pool. */
export async function selectDemos(signature: Signature, pool: Example[], k: number, embedder?: Embedder): Promise<Demo[]> {
  const texts = pool.map((e) => renderInputs(signature.inputs, e.input));
  const picked = await selectMmr(texts, k, embedder ? { embedder } : {});
  return picked.map((i) => toDemo(pool[i]!));
}

export const bootstrapFewShot: Optimizer = {
  name: "bootstrap-few-shot",
  async compile(signature, current, trainset, _metric, options) {
    const pool = demoPool(signature, trainset);
    const demos = await selectDemos(signature, pool, options.maxDemos ?? 4, options.embedder);
    return {
      instructions: current.instructions,
      guidelines: current.guidelines,
      demos,
      notes: [`${demos.length} demo(s) chosen from ${pool.length} successful training trace(s): ${demos.map((d) => d.traceId).join(", ") || "none"}`],
    };
  },
};
