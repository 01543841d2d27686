// numeric_tolerance: the chosen output field is a number within a tolerance of the gold value.
// Numbers written as text ("1,250.5", "42 km") are read, so a model that answers in words of a
// string field is judged on its number, not its formatting.
import { referenceOutput } from "../example.js";
import type { Metric } from "./metric.js";

export interface ToleranceOptions {
  /** Largest absolute difference counted as equal. */
  absolute: number;
  /** Largest difference relative to |expected| counted as equal (0: none). */
  relative: number;
}

/** The number a value holds (a number, or the first number in a string), or undefined. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?|-?\.\d+/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[0].replace(/,/g, ""));
  return Number.isFinite(n) ? n : undefined;
}

/** @param field output field compared; @param options tolerances. */
export function numericTolerance(field: string, options: ToleranceOptions): Metric {
  return {
    name: "numeric_tolerance",
    needsGold: true,
    async score(example, prediction) {
      const expected = readNumber(referenceOutput(example)?.[field]);
      const got = readNumber(prediction[field]);
      if (expected === undefined) return { score: 0, feedback: `${field}: the expected value ${JSON.stringify(referenceOutput(example)?.[field])} is not a number` };
      if (got === undefined) return { score: 0, feedback: `${field} should be the number ${expected}, got ${JSON.stringify(prediction[field])}` };
      const allowed = Math.max(options.absolute, options.relative * Math.abs(expected));
      return Math.abs(got - expected) <= allowed ? { score: 1 } : { score: 0, feedback: `${field} should be ${expected} (±${allowed}), got ${got}` };
    },
  };
}
