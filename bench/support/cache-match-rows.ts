// Benchmark rows for the semantic cache's two-stage match (bench/embeddings.bench.ts): the
// shipped coefficients on the calibration part, the held-out part and the minimal-edit pairs,
// the held-out curve around the shipped point, and cosine alone on the same parts for comparison.
import type { Embedder } from "../../src/llm/embedder.js";
import { CALIBRATED_MATCH_MODELS } from "../../src/memory/cache-match-calibration.js";
import { defaultCacheThreshold } from "../../src/memory/semantic-cache.js";
import type { BenchResult } from "../types.js";
import { labelledPairs, loadLabelledItems } from "../../test/support/embedding-pairs.js";
import { cacheServes, FALSE_HIT_LIMIT, measureCacheLookups, measurePairs, minimalEditPairs, rates, twoStageHit, type MeasuredPair, type Rates, type VectorCache } from "./cache-match-eval.js";

const PARAPHRASE_TARGET = 0.7;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const round = (x: number) => Math.round(x * 1000) / 1000;
const describe = (r: Rates) => `paraphrase hits ${pct(r.paraphraseHits)} of ${r.paraphrases}; false hits ${pct(r.falseHits)} (${r.falseCount} of ${r.negatives}; related ${pct(r.relatedHits)}, unrelated ${pct(r.unrelatedHits)})`;

/** Rows for one embedder; `model` is the shipped fit for its vectors, if any. */
export async function twoStageRows(embedder: Embedder): Promise<BenchResult[]> {
  const vectors: VectorCache = new Map();
  const measured = await measurePairs(embedder, [...labelledPairs(), ...minimalEditPairs()], vectors);
  const lookups = await measureCacheLookups(embedder, loadLabelledItems(), vectors);
  const lookupsOf = (split: string) => lookups.filter((l) => l.split === split);
  const part = (split: string) => measured.filter((m) => m.split === split);
  const [cal, held, mini] = [part("calibration"), part("held-out"), part("minimal-edit")];
  const fitted = CALIBRATED_MATCH_MODELS[embedder.model];
  const bound = defaultCacheThreshold(embedder.model, true);
  const shipped = (m: MeasuredPair) => twoStageHit(m, fitted, bound);
  const rows: BenchResult[] = [];
  const row = (name: string, r: Rates, target: string, met: boolean | null, detail = describe(r)) =>
    rows.push({ name, value: round(r.paraphraseHits), unit: "fraction", baseline: null, ratio: null, target, met, detail });

  const what = fitted ? `threshold ${bound} + check (min probability ${fitted.minProbability})` : `threshold ${bound} + check (rules only, no fitted model)`;
  const heldOut = rates(held, shipped);
  row(`${embedder.model}: two-stage match, calibration part, ${what}`, rates(cal, shipped), "fitted here", null);
  row(
    `${embedder.model}: two-stage match, HELD-OUT part, ${what}`,
    heldOut,
    `≥ ${PARAPHRASE_TARGET} paraphrase hits with false hits ≤ 2 % (issue 20)`,
    heldOut.paraphraseHits >= PARAPHRASE_TARGET && heldOut.falseHits <= FALSE_HIT_LIMIT,
  );
  for (const split of ["calibration", "held-out"]) {
    const check = cacheServes(lookupsOf(split), shipped);
    const plain = cacheServes(lookupsOf(split), (m) => m.similarity >= bound);
    rows.push({
      name: `${embedder.model}: cache of the ${split} part (its questions + related questions), each paraphrase looked up: served its own question, ${what}`,
      value: round(check.right / check.lookups),
      unit: "fraction",
      baseline: round(plain.right / plain.lookups),
      ratio: null,
      target: split === "held-out" ? "another entry served ≤ 2 % of lookups" : "fitted here",
      met: split === "held-out" ? check.wrong <= FALSE_HIT_LIMIT * check.lookups : null,
      detail: `another entry ${check.wrong}, nothing ${check.none} of ${check.lookups}; baseline, cosine alone at the same threshold: right ${plain.right}, another entry ${plain.wrong}`,
    });
  }
  row(`${embedder.model}: two-stage match, minimal-edit pairs (bench/fixtures/paraphrase-pairs.json, never fitted)`, rates(mini, shipped), "report", null);

  // Cosine alone on the same parts: the threshold chosen on the calibration part (false hits ≤ 2 %), then held out.
  const cosineOnly = (t: number) => (m: MeasuredPair) => m.similarity >= t;
  const thresholds = Array.from({ length: 50 }, (_, i) => round(0.5 + i * 0.01));
  const safe = thresholds.find((t) => rates(cal, cosineOnly(t)).falseHits <= FALSE_HIT_LIMIT) ?? 0.99;
  row(`${embedder.model}: cosine alone, HELD-OUT part, threshold ${safe} (lowest with false hits ≤ 2 % on the calibration part)`, rates(held, cosineOnly(safe)), "baseline of the row above", null);

  // The held-out curve around the shipped point: other probability thresholds and lower bounds.
  if (fitted) {
    for (const lowerBound of [bound - 0.05, bound, bound + 0.05].map(round)) {
      for (const minProbability of [0.5, 0.6, 0.7, fitted.minProbability, 0.9]) {
        const model = { ...fitted, lowerBound, minProbability };
        const h = rates(held, (m) => twoStageHit(m, model, lowerBound));
        const c = rates(cal, (m) => twoStageHit(m, model, lowerBound));
        const served = cacheServes(lookupsOf("held-out"), (m) => twoStageHit(m, model, lowerBound));
        rows.push({
          name: `${embedder.model}: held-out curve, threshold ${lowerBound}, min probability ${minProbability}${lowerBound === bound && minProbability === fitted.minProbability ? " (shipped)" : ""}`,
          value: round(h.paraphraseHits),
          unit: "fraction",
          baseline: null,
          ratio: null,
          target: "curve (report)",
          met: null,
          detail: `held-out false hits ${pct(h.falseHits)} (${h.falseCount}); held-out cache: right ${served.right}, another entry ${served.wrong} of ${served.lookups}; calibration: paraphrase ${pct(c.paraphraseHits)}, false ${pct(c.falseHits)} (${c.falseCount})`,
        });
      }
    }
  } else {
    for (const t of [0.8, 0.85, 0.9, 0.95]) {
      const h = rates(held, (m) => twoStageHit(m, undefined, t));
      row(`${embedder.model}: held-out curve, threshold ${t} + rules`, h, "curve (report)", null);
    }
  }
  return rows;
}
