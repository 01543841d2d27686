// One look at a canary: the evidence of each arm from its runs, then the rules in order —
// guardrails (p95 latency, tokens per run) roll back at once; the mixture SPRT promotes when the
// candidate is better on the objective with the canary's confidence and rolls back when it is
// worse; past canary_max_runs or canary_max_duration an undecided canary stops and the incumbent
// stays. Pure: the caller reads the runs and carries out the decision.
import { quantileSorted } from "../../analyzer/statistics/quantile.js";
import type { ArmEvidence, Canary, CanaryDecision, CanaryEvidence } from "../../domain/canary.js";
import type { CanaryRun } from "../../collector/query/list-canary-runs.js";
import { describeObjective, objectiveValues } from "../../compiler/objective.js";
import { mixtureSprt, sampleOf } from "./mixture-sprt.js";


export interface CanaryLook {
  evidence: CanaryEvidence;
  /** Null while the canary keeps running. */
  decision: Omit<CanaryDecision, "decidedBy"> | null;
}

/** Smallest p95 increase (ms) the latency guardrail acts on. */
export const LATENCY_NOISE_MS = 100;

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const r4 = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);

function armEvidence(version: string, runs: readonly CanaryRun[], objective: readonly number[]): ArmEvidence {
  const labelled = runs.filter((r) => r.success !== null);
  const successes = labelled.filter((r) => r.success).length;
  const latencies = runs.map((r) => r.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  const costs = runs.map((r) => r.costUsd).filter((c): c is number => c !== null);
  return {
    version,
    runs: runs.length,
    labelled: labelled.length,
    successes,
    successRate: labelled.length === 0 ? null : r4(successes / labelled.length),
    objectiveMean: r4(mean(objective)),
    tokensPerRun: r4(mean(runs.map((r) => r.tokens))),
    costPerRun: costs.length === 0 ? null : mean(costs),
    p95LatencyMs: latencies.length === 0 ? null : Math.round(quantileSorted(latencies, 0.95)),
  };
}

/** Looks at `canary` given its runs at `now`. */
export function decideCanary(canary: Canary, runs: readonly CanaryRun[], now: Date): CanaryLook {
  const s = canary.settings;
  const objective = { objective: s.objective, tokenPenalty: s.tokenPenalty };
  const scored = (arm: CanaryRun["arm"]) => runs.filter((r) => r.arm === arm && r.success !== null).map((r) => ({ score: r.success ? 1 : 0, tokens: r.tokens }));
  const incRuns = scored("incumbent");
  const candRuns = scored("candidate");
  const incValues = objectiveValues(incRuns, objective, incRuns);
  const candValues = objectiveValues(candRuns, objective, incRuns);
  const incumbent = armEvidence(canary.incumbentVersion, runs.filter((r) => r.arm === "incumbent"), incValues);
  const candidate = armEvidence(canary.candidateVersion, runs.filter((r) => r.arm === "candidate"), candValues);
  const alpha = 1 - s.confidence;
  const enough = incumbent.labelled >= s.minRuns && candidate.labelled >= s.minRuns;
  const test = incValues.length > 0 && candValues.length > 0 ? mixtureSprt(sampleOf(candValues), sampleOf(incValues), { alpha, tau: s.effectSize }) : null;
  const evidence: CanaryEvidence = {
    incumbent,
    candidate,
    difference: test ? r4(test.difference) : null,
    interval: test ? [r4(test.interval[0])!, r4(test.interval[1])!] : null,
    statistic: test ? Number(test.statistic.toPrecision(6)) : null,
    threshold: 1 / alpha,
    pValue: test ? Number(test.pValue.toPrecision(4)) : null,
    comparison: `candidate − incumbent on ${describeObjective(objective)}, mixture SPRT at ${Math.round(s.confidence * 100)}% confidence (τ ${s.effectSize}), ${candidate.labelled} vs ${incumbent.labelled} runs with an outcome`,
  };
  const decide = (outcome: CanaryDecision["outcome"], rule: CanaryDecision["rule"], reason: string): CanaryLook => ({ evidence, decision: { outcome, rule, reason, evidence } });
  const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);

  if (enough) {
    const incP95 = incumbent.p95LatencyMs;
    const candP95 = candidate.p95LatencyMs;
    // Below LATENCY_NOISE_MS a difference is timer and scheduling noise, not a regression a user feels.
    if (incP95 !== null && candP95 !== null && candP95 > incP95 * (1 + s.maxLatencyIncrease) && candP95 - incP95 > LATENCY_NOISE_MS) {
      return decide("rolled_back", "latency_guardrail", `p95 latency ${candP95} ms exceeds the incumbent's ${incP95} ms by more than ${Math.round(s.maxLatencyIncrease * 100)}% (canary_max_latency_increase)`);
    }
    const incTok = incumbent.tokensPerRun;
    const candTok = candidate.tokensPerRun;
    if (incTok !== null && candTok !== null && incTok > 0 && candTok > incTok * (1 + s.maxCostIncrease)) {
      return decide("rolled_back", "cost_guardrail", `${candTok.toFixed(0)} tokens per run exceed the incumbent's ${incTok.toFixed(0)} by more than ${Math.round(s.maxCostIncrease * 100)}% (canary_max_cost_increase)`);
    }
    if (test && test.decision !== "undecided") {
      const what = `success ${pct(candidate.successRate)} vs ${pct(incumbent.successRate)}; difference ${test.difference >= 0 ? "+" : ""}${test.difference.toFixed(3)} on ${s.objective}, always-valid ${Math.round(s.confidence * 100)}% interval [${test.interval[0].toFixed(3)}, ${test.interval[1].toFixed(3)}], Λ ${test.statistic.toPrecision(3)} ≥ ${(1 / alpha).toFixed(0)}`;
      return test.decision === "better" ? decide("promoted", "sequential_test", `the candidate is better: ${what}`) : decide("rolled_back", "sequential_test", `the candidate is worse: ${what}`);
    }
  }
  const labelled = incumbent.labelled + candidate.labelled;
  if (labelled >= s.maxRuns) return decide("stopped", "max_runs", `undecided after ${labelled} runs with an outcome (canary_max_runs ${s.maxRuns}); the incumbent keeps serving`);
  const seconds = (now.getTime() - Date.parse(canary.startedAt)) / 1000;
  if (seconds >= s.maxDurationSeconds) return decide("stopped", "max_duration", `undecided after ${Math.round(seconds)} s (canary_max_duration ${s.maxDurationSeconds}); the incumbent keeps serving`);
  return { evidence, decision: null };
}
