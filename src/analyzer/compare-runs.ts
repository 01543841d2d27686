// How each pattern moved since the previous run of the same agent: new, strengthened,
// weakened, unchanged — and which previous patterns vanished.
import type { PatternChange } from "../domain/pattern.js";

export interface Comparable {
  key: string;
  confidence: number;
  effect: number;
  actionable: boolean;
}

/** Confidence or |effect| must move at least this much to count as a change. */
export const CHANGE_TOLERANCE = 0.05;

/** Change status of `current` against the same key in the previous run (undefined: new). */
export function changeStatus(current: Comparable, previous: Comparable | undefined): PatternChange {
  if (!previous) return "new";
  if (current.actionable !== previous.actionable) return current.actionable ? "strengthened" : "weakened";
  const dConfidence = current.confidence - previous.confidence;
  if (dConfidence >= CHANGE_TOLERANCE) return "strengthened";
  if (dConfidence <= -CHANGE_TOLERANCE) return "weakened";
  const dEffect = Math.abs(current.effect) - Math.abs(previous.effect);
  if (dEffect >= CHANGE_TOLERANCE) return "strengthened";
  if (dEffect <= -CHANGE_TOLERANCE) return "weakened";
  return "unchanged";
}

/** Previous patterns whose key is absent now. */
export function vanished<T extends { key: string }>(previous: readonly T[], currentKeys: ReadonlySet<string>): T[] {
  return previous.filter((p) => !currentKeys.has(p.key));
}
