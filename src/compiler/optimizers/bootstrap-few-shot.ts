// Bootstrap few-shot: k demos from training traces with a gold answer: successful ones (success,
// and score at or above the metric threshold) and corrected ones (input → the corrected output, a
// labelled example as DSPy uses them; the demo says it came from a correction). With similar-trace
// retrieval the candidates are the training traces nearest to the inputs the version will serve,
// then MMR keeps them diverse; without it, MMR picks diverse, representative demos from the whole
// pool. The dev set never reaches here.
import type { Demo } from "../../domain/compiled-version.js";
import type { Signature } from "../../domain/signature.js";
import type { Embedder } from "../../llm/embedder.js";
import { goldOutput, isCorrected, type Example } from "../example.js";
import { renderInputs } from "../../signature/render.js";
import { selectMmr } from "./mmr.js";
import type { DemoRetriever, Optimizer } from "./optimizer.js";

/** Training examples usable as demos (successful or corrected), one per distinct input. */
export function demoPool(signature: Signature, trainset: Example[]): Example[] {
  const seen = new Set<string>();
  return trainset.filter((e) => {
    // A correction of only some fields is a gold answer for metrics, not a demo: the other fields
    // would be the run's own (possibly wrong) answer.
    if (isCorrected(e) ? !e.correctionComplete : goldOutput(e, signature.metric.threshold) === null) return false;
    const key = renderInputs(signature.inputs, e.input);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The demo of a pool example: its input and gold answer (the correction when it has one, marked so). */
export const toDemo = (e: Example): Demo => (isCorrected(e) ? { input: e.input, output: e.expected!, traceId: e.id, corrected: true } : { input: e.input, output: e.output ?? {}, traceId: e.id });

export interface SelectDemosOptions {
  /** Embeddings for MMR similarity; token overlap without it. */
  embedder?: Embedder;
  /** Similar-trace retrieval; without it (or when it answers nothing) the whole pool competes. */
  retrieve?: DemoRetriever;
}

export interface DemoSelection {
  demos: Demo[];
  /** How many of the demos were retrieved as near the inputs to serve (0 without retrieval). */
  retrieved: number;
  /** Pool examples retrieval offered as candidates (0 without retrieval). */
  candidates: number;
}

/** Picks up to k demos from the pool: near the inputs to serve when a retriever is given, always diverse. */
export async function selectDemos(signature: Signature, pool: Example[], k: number, options: SelectDemosOptions = {}): Promise<DemoSelection> {
  const mmr = async (examples: Example[], count: number, relevance?: number[]) => {
    const texts = examples.map((e) => renderInputs(signature.inputs, e.input));
    const picked = await selectMmr(texts, count, { ...(options.embedder ? { embedder: options.embedder } : {}), ...(relevance ? { relevance } : {}) });
    return picked.map((i) => examples[i]!);
  };
  if (k <= 0 || pool.length === 0) return { demos: [], retrieved: 0, candidates: 0 };
  const byId = new Map(pool.map((e) => [e.id, e]));
  const near = options.retrieve ? (await options.retrieve(pool, k)).filter((r) => byId.has(r.id)) : [];
  if (near.length === 0) return { demos: (await mmr(pool, k)).map(toDemo), retrieved: 0, candidates: 0 };
  // Relevance is closeness to the inputs to serve, so MMR trades it against redundancy.
  const chosen = await mmr(near.map((r) => byId.get(r.id)!), k, near.map((r) => r.similarity));
  const retrieved = chosen.length;
  // Too few neighbours (a tiny pool or few dev inputs): fill up with diverse picks from the rest.
  if (chosen.length < k) {
    const taken = new Set(chosen.map((e) => e.id));
    chosen.push(...(await mmr(pool.filter((e) => !taken.has(e.id)), k - chosen.length)));
  }
  return { demos: chosen.map(toDemo), retrieved, candidates: near.length };
}

/** Human-readable note on a demo selection (shown by the CLI). */
export function describeDemoSelection(selection: DemoSelection, poolSize: number): string {
  const ids = selection.demos.map((d) => d.traceId).join(", ") || "none";
  const how = selection.candidates > 0 ? `, ${selection.retrieved} of them among the ${selection.candidates} nearest to the dev-set inputs` : "";
  return `${selection.demos.length} demo(s) chosen from ${poolSize} successful training trace(s)${how}: ${ids}`;
}

export const bootstrapFewShot: Optimizer = {
  name: "bootstrap-few-shot",
  async compile(signature, current, trainset, _metric, options) {
    const pool = demoPool(signature, trainset);
    const selection = await selectDemos(signature, pool, options.maxDemos ?? 4, { ...(options.embedder ? { embedder: options.embedder } : {}), ...(options.retrieveDemos ? { retrieve: options.retrieveDemos } : {}) });
    return {
      instructions: current.instructions,
      guidelines: current.guidelines,
      demos: selection.demos,
      notes: [describeDemoSelection(selection, pool.length)],
    };
  },
};
