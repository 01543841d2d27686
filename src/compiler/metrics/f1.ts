// f1: token-overlap F1 between the predicted and the gold value of a field (SQuAD-style).
import { referenceOutput } from "../example.js";
import type { Metric } from "./metric.js";
import { normalizeText } from "./metric.js";

/** Token F1 of two texts; 1 when both are empty. */
export function tokenF1(predicted: unknown, gold: unknown): number {
  const p = normalizeText(predicted).split(" ").filter(Boolean);
  const g = normalizeText(gold).split(" ").filter(Boolean);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      overlap++;
      counts.set(t, c - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / p.length;
  const recall = overlap / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** @param field output field compared. */
export function f1(field: string): Metric {
  return {
    name: "f1",
    needsGold: true,
    async score(example, prediction) {
      const score = tokenF1(prediction[field], referenceOutput(example)?.[field]);
      return score >= 1 ? { score } : { score, feedback: `${field} overlaps the expected answer only partly (F1 ${score.toFixed(2)}); expected: ${JSON.stringify(referenceOutput(example)?.[field])}` };
    },
  };
}
