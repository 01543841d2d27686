// json_fields_match: share of the chosen output fields whose values equal the gold values.
import { referenceOutput } from "../example.js";
import type { Metric } from "./metric.js";
import { valuesMatch } from "./metric.js";

/** @param fields output fields compared (each counts equally). */
export function jsonFieldsMatch(fields: string[]): Metric {
  return {
    name: "json_fields_match",
    needsGold: true,
    async score(example, prediction) {
      const wrong = fields.filter((f) => !valuesMatch(prediction[f], referenceOutput(example)?.[f]));
      const score = (fields.length - wrong.length) / fields.length;
      return wrong.length === 0
        ? { score }
        : { score, feedback: wrong.map((f) => `${f} should be ${JSON.stringify(referenceOutput(example)?.[f])}, got ${JSON.stringify(prediction[f])}`).join("; ") };
    },
  };
}
