// The features a routing decision sees (seed 002's state embedding): the constant 1, the task's
// embedding projected to a few dimensions by a seeded random projection, its intent one-hot, and
// its length. Serving and training build them with the same function from the same spec.
import type { FeatureSpec } from "../../domain/routing-policy.js";
import { createRng } from "../../runtime/random.js";

/** What the router knows about a task when it decides. */
export interface RouteContext {
  /** The task's text (a sub-task description). */
  text: string;
  /** Its intent (a sub-task's kind, or a caller's label). */
  intent: string;
}

const projections = new Map<string, Float64Array[]>();

/** Rows of the seeded Gaussian projection (cached per seed and shape). */
function projection(seed: number, inDim: number, outDim: number): Float64Array[] {
  const key = `${seed}:${inDim}:${outDim}`;
  let rows = projections.get(key);
  if (!rows) {
    const rng = createRng(seed);
    // Box–Muller: two uniforms give one standard normal.
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    rows = Array.from({ length: outDim }, () => Float64Array.from({ length: inDim }, normal));
    projections.set(key, rows);
  }
  return rows;
}

/** Number of features a spec produces (bias, projection, intents + other, length). */
export const featureCount = (spec: FeatureSpec) => 1 + spec.embeddingDims + spec.intents.length + 1 + 1;

/** Names of the features, in order (for `routing show`). */
export function featureNames(spec: FeatureSpec): string[] {
  return ["bias", ...Array.from({ length: spec.embeddingDims }, (_, i) => `embedding[${i}]`), ...spec.intents.map((i) => `intent=${i}`), "intent=other", "length"];
}

/** The feature vector of a task; `embedding` may be of any dimension (unit length not required). */
export function routeFeatures(spec: FeatureSpec, context: RouteContext, embedding: readonly number[] | undefined): number[] {
  const x: number[] = [1];
  if (spec.embeddingDims > 0) {
    const norm = Math.sqrt((embedding ?? []).reduce((s, v) => s + v * v, 0));
    if (!embedding || norm === 0) x.push(...new Array<number>(spec.embeddingDims).fill(0));
    else for (const row of projection(spec.projectionSeed, embedding.length, spec.embeddingDims)) x.push(row.reduce((s, r, i) => s + r * embedding[i]!, 0) / norm);
  }
  const intent = context.intent.trim().toLowerCase();
  const known = spec.intents.indexOf(intent);
  for (let i = 0; i <= spec.intents.length; i++) x.push(i === (known < 0 ? spec.intents.length : known) ? 1 : 0);
  // log1p keeps a 20-character and a 20,000-character task on one scale (≈ 0.4 and 1.2).
  x.push(Math.log1p(context.text.length) / 8);
  return x;
}
