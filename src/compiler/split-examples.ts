// Deterministic train/dev split. Each example is ranked by a hash of its id (and a seed), the
// dev set takes the lowest-ranked eligible examples, train takes everything else: no overlap,
// and the same traces always split the same way.
import { createHash } from "node:crypto";
import type { Example } from "./example.js";

export interface SplitOptions {
  /** Wanted dev-set size (config `dev_set_size`). */
  devSetSize: number;
  /** Share of the eligible examples the dev set may take at most, so train is never starved. Default 0.5. */
  maxDevFraction?: number;
  /** Which examples may be dev examples (e.g. only those with a gold answer). Default: all. */
  eligible?: (example: Example) => boolean;
  /** Changes the split. Default "meta-agent". */
  seed?: string;
}

export interface Split {
  train: Example[];
  dev: Example[];
}

const rank = (seed: string, id: string) => createHash("sha256").update(`${seed}\u0000${id}`).digest("hex");

/** Splits examples into disjoint train and dev sets (both in their original order). */
export function splitExamples(examples: readonly Example[], options: SplitOptions): Split {
  const seed = options.seed ?? "meta-agent";
  const eligible = examples.filter(options.eligible ?? (() => true));
  const devCount = Math.min(options.devSetSize, Math.floor(eligible.length * (options.maxDevFraction ?? 0.5)));
  const devIds = new Set(
    eligible
      .map((e) => ({ id: e.id, r: rank(seed, e.id) }))
      .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
      .slice(0, devCount)
      .map((x) => x.id),
  );
  return { train: examples.filter((e) => !devIds.has(e.id)), dev: examples.filter((e) => devIds.has(e.id)) };
}

/**
 * True when the example belongs to the held-out split of `fraction` (config
 * `eval_holdout_fraction`): decided by a hash of its id alone, so the same traces are always held
 * out, and compiling never sees them (neither train nor dev set).
 */
export function isHeldOut(id: string, fraction: number, seed = "held-out"): boolean {
  if (fraction <= 0) return false;
  return Number.parseInt(rank(seed, id).slice(0, 8), 16) / 0x1_0000_0000 < fraction;
}
