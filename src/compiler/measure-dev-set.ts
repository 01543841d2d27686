// How large the dev set of a compilation would be now: the same examples, eligibility and split
// the compiler uses, so `status` and /v1/learning/status say "ready" exactly when the gate's
// dev_set_size can be met (and what is missing when it cannot).
import type pg from "pg";
import type { Signature } from "../domain/signature.js";
import type { Metric } from "./metrics/metric.js";
import { hasGold, isCorrected, type Example } from "./example.js";
import { loadExamples } from "./load-examples.js";
import { isHeldOut, splitExamples, type Split } from "./split-examples.js";
import { resolveMetric } from "./metrics/resolve-metric.js";

/** Share of the eligible examples the dev set may take (splitExamples' default). */
const MAX_DEV_FRACTION = 0.5;

/**
 * The compiler's train/dev split of a signature's examples. When the metric needs a gold answer,
 * only examples that have one may be dev examples: successful runs, and runs of any outcome that
 * carry a correction (so the inputs the agent failed on are evaluated once someone corrected them).
 */
export function splitForCompile(examples: readonly Example[], signature: Signature, metric: Pick<Metric, "needsGold">, devSetSize: number): Split {
  const threshold = signature.metric.threshold;
  return splitExamples(examples, { devSetSize, ...(metric.needsGold ? { eligible: (e) => hasGold(e, threshold) } : {}), maxDevFraction: MAX_DEV_FRACTION, seed: signature.name });
}

export interface DevSetMeasure {
  /** Dev examples a compilation would evaluate on now. */
  devExamples: number;
  /** dev_set_size: the gate promotes nothing on fewer. */
  needed: number;
  /** Examples that may be dev examples (gold ones when the metric needs a gold answer). */
  eligible: number;
  /** Eligible examples needed for a full dev set (the dev set takes at most half of them). */
  eligibleNeeded: number;
  /** True when only examples with a gold answer count (exact_match, f1, json_fields_match…): successful runs and corrected ones. */
  goldOnly: boolean;
  /** Of `eligible`, the examples whose gold answer is a correction (0 when the metric needs none). */
  corrected: number;
}

/** Measures the dev set `signature` would get for `tenant` now. */
export async function measureDevSet(pool: pg.Pool, input: { tenant: string; signature: Signature; signatureFile: string; devSetSize: number; holdoutFraction?: number }): Promise<DevSetMeasure> {
  const { signature, devSetSize } = input;
  // llm_judge needs a model only to score, not to know it needs no gold answer.
  const metric = await resolveMetric(signature, { signatureFile: input.signatureFile }).catch(() => ({ needsGold: signature.metric.name !== "llm_judge" && signature.metric.name !== "outcome" && signature.metric.name !== "custom" }));
  // Traces held out for `eval --from-traces` are no examples of a compilation, as in compileSignature.
  const loaded = (await loadExamples(pool, input.tenant, signature)).examples;
  const holdout = input.holdoutFraction ?? 0;
  const examples = holdout > 0 ? loaded.filter((e) => !isHeldOut(e.id, holdout)) : loaded;
  const { dev } = splitForCompile(examples, signature, metric, devSetSize);
  const gold = metric.needsGold ? examples.filter((e) => hasGold(e, signature.metric.threshold)) : examples;
  const corrected = metric.needsGold ? gold.filter(isCorrected).length : 0;
  return { devExamples: dev.length, needed: devSetSize, eligible: gold.length, eligibleNeeded: Math.ceil(devSetSize / MAX_DEV_FRACTION), goldOnly: metric.needsGold, corrected };
}
