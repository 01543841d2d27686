// The metric contract: scores one prediction against one example, in [0, 1], with optional
// feedback that reflective optimizers show to the model.
import type { Example } from "../example.js";
import type { Prediction } from "../../signature/predict.js";

export interface MetricResult {
  score: number;
  feedback?: string;
}

export interface Metric {
  name: string;
  /** True when the metric compares against the recorded (gold) output, so it needs successful examples. */
  needsGold: boolean;
  score(example: Example, prediction: Record<string, unknown>, trace?: Prediction): Promise<MetricResult>;
}

/** Lower-cases, strips punctuation and collapses whitespace, so trivial differences do not count. */
export function normalizeText(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Deep equality with key order ignored and strings compared after normalizeText. */
export function valuesMatch(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return normalizeText(a) === normalizeText(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesMatch(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => valuesMatch((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
