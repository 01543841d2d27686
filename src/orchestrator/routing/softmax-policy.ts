// The routing policy's mathematics: a linear softmax over features, bounded exploration, and
// REINFORCE with a baseline (seed 002) trained off-policy from logged decisions — each logged
// decision carries the probability with which it was taken, so the gradient is importance-weighted
// (clipped) and the policy can learn from decisions another policy (the fixed rule) made.
import type { RewardEstimate } from "../../domain/routing-policy.js";
import { createRng, shuffled, type Rng } from "../../runtime/random.js";

/** One logged routing decision with its reward. */
export interface LoggedDecision {
  x: number[];
  /** Index of the arm taken. */
  arm: number;
  reward: number;
  /** Probability the logging policy gave that arm (1 for the fixed rule). */
  propensity: number;
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** π(·|x) of the linear policy: softmax of w_k · x. */
export function probabilities(weights: readonly (readonly number[])[], x: readonly number[]): number[] {
  return softmax(weights.map((w) => w.reduce((s, wi, i) => s + wi * (x[i] ?? 0), 0)));
}

/** Mixes `p` with the uniform distribution: every arm keeps at least epsilon / arms. */
export function withExploration(p: readonly number[], epsilon: number): number[] {
  return p.map((v) => (1 - epsilon) * v + epsilon / p.length);
}

/** Samples an index from a distribution. */
export function sampleIndex(p: readonly number[], rng: Rng): number {
  let u = rng();
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return p.length - 1;
}

/**
 * Self-normalised importance-weighted estimate of the mean reward `policy` would get on the
 * logged tasks, with a 95% interval (delta method). Decisions the policy could not have taken
 * weigh nothing; with no weight at all the estimate is NaN.
 */
export function estimateValue(data: readonly LoggedDecision[], policy: (x: number[]) => number[]): RewardEstimate {
  const w = data.map((d) => policy(d.x)[d.arm]! / d.propensity);
  const total = w.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN };
  const mean = data.reduce((s, d, i) => s + w[i]! * d.reward, 0) / total;
  const se = Math.sqrt(data.reduce((s, d, i) => s + w[i]! ** 2 * (d.reward - mean) ** 2, 0)) / total;
  return { mean, low: mean - 1.96 * se, high: mean + 1.96 * se };
}

/** Mean of `values` with a 95% normal interval. */
export function meanWithInterval(values: readonly number[]): RewardEstimate {
  if (values.length === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  const half = (1.96 * sd) / Math.sqrt(values.length);
  return { mean, low: mean - half, high: mean + half };
}

export interface ReinforceOptions {
  epochs: number;
  learningRate: number;
  /** Largest importance weight π/μ (variance control). Default 5. */
  clip?: number;
  /** L2 penalty on the weights. Default 0.001. */
  l2?: number;
  /** Decisions per gradient step. Default 32. */
  batchSize?: number;
  /** Seed of the minibatch order. Default 0. */
  seed?: number;
}

export interface ReinforceResult {
  weights: number[][];
  /** Mean logged reward, the baseline subtracted from every reward. */
  baseline: number;
  /** Estimated mean reward of the policy after each epoch (estimateValue). */
  rewardByEpoch: number[];
}

/**
 * REINFORCE with a baseline: for each logged decision, w_k += lr · ρ · (r − b) · (1[k = a] − π_k) · x,
 * ρ = min(π(a|x) / μ(a|x), clip), b = mean logged reward; minibatches in a seeded order.
 */
export function trainReinforce(initial: readonly (readonly number[])[], data: readonly LoggedDecision[], options: ReinforceOptions): ReinforceResult {
  const weights = initial.map((w) => [...w]);
  const clip = options.clip ?? 5;
  const l2 = options.l2 ?? 0.001;
  const batchSize = options.batchSize ?? 32;
  const rng = createRng(options.seed ?? 0);
  const baseline = data.length > 0 ? data.reduce((s, d) => s + d.reward, 0) / data.length : 0;
  const rewardByEpoch: number[] = [];
  const current = (x: number[]) => probabilities(weights, x);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = shuffled(data, rng);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const grad = weights.map((w) => new Array<number>(w.length).fill(0));
      for (const d of batch) {
        const p = current(d.x);
        const rho = Math.min(p[d.arm]! / d.propensity, clip);
        const advantage = rho * (d.reward - baseline);
        for (let k = 0; k < weights.length; k++) {
          const coef = advantage * ((k === d.arm ? 1 : 0) - p[k]!);
          if (coef === 0) continue;
          const g = grad[k]!;
          for (let i = 0; i < g.length; i++) g[i] = g[i]! + coef * (d.x[i] ?? 0);
        }
      }
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k]!;
        for (let i = 0; i < w.length; i++) w[i] = w[i]! + options.learningRate * (grad[k]![i]! / batch.length - l2 * w[i]!);
      }
    }
    rewardByEpoch.push(estimateValue(data, current).mean);
  }
  return { weights, baseline, rewardByEpoch };
}
