// exact_match: the chosen output field equals the gold value (normalized text, deep equality).
import { referenceOutput } from "../example.js";
import type { Metric } from "./metric.js";
import { valuesMatch } from "./metric.js";

/** @param field output field compared. */
export function exactMatch(field: string): Metric {
  return {
    name: "exact_match",
    needsGold: true,
    async score(example, prediction) {
      const expected = referenceOutput(example)?.[field];
      const ok = valuesMatch(prediction[field], expected);
      return ok ? { score: 1 } : { score: 0, feedback: `${field} should be ${JSON.stringify(expected)}, got ${JSON.stringify(prediction[field])}` };
    },
  };
}
