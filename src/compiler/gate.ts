// The promotion gate: a candidate replaces its parent only when it is measurably better on a
// large enough dev set, and the compilation stayed within its budget.
import type { PairedComparison } from "./statistics.js";

export interface GateSettings {
  /** Minimum gain of the dev-set mean (config `min_improvement`). */
  minImprovement: number;
  /** Smallest dev set that may promote (config `dev_set_size`). */
  minDevSetSize: number;
  /** Confidence with which the gain must hold (config `promotion_confidence`). */
  confidence: number;
}

export interface GateInput {
  devSetSize: number;
  comparison: PairedComparison | null;
  /** Set when the candidate is identical to its parent. */
  unchanged?: boolean;
  /** Set when a budget stopped the compilation. */
  budgetExhausted?: string;
}

export type Verdict = { promoted: true; reason: string } | { promoted: false; reason: string };

const pct = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;

/** Decides promotion; every rejection says why. */
export function decidePromotion(input: GateInput, settings: GateSettings): Verdict {
  if (input.budgetExhausted) return { promoted: false, reason: `compilation stopped: ${input.budgetExhausted}` };
  if (input.unchanged) return { promoted: false, reason: "the optimizer produced no change to the current version" };
  if (input.devSetSize < settings.minDevSetSize) {
    return { promoted: false, reason: `dev set has ${input.devSetSize} examples; at least ${settings.minDevSetSize} (dev_set_size) are needed to promote` };
  }
  const c = input.comparison;
  if (!c) return { promoted: false, reason: "the candidate was not evaluated" };
  const level = `${Math.round(settings.confidence * 100)}%`;
  if (c.meanDiff < settings.minImprovement) {
    return { promoted: false, reason: `candidate is not better enough: mean gain ${pct(c.meanDiff)} < min_improvement ${settings.minImprovement}` };
  }
  if (c.lowerBound < settings.minImprovement) {
    return {
      promoted: false,
      reason: `gain not significant: mean gain ${pct(c.meanDiff)} but its ${level} lower bound ${pct(c.lowerBound)} is below min_improvement ${settings.minImprovement}`,
    };
  }
  return { promoted: true, reason: `mean gain ${pct(c.meanDiff)} with ${level} lower bound ${pct(c.lowerBound)} ≥ min_improvement ${settings.minImprovement} on ${input.devSetSize} dev examples` };
}
