// The numbers of an evaluation report: per version its success with a bootstrap interval,
// tokens, cost and latency per item, token ROI and the objective; per later version the paired
// difference against the first (quality and objective), and which of two versions equal within
// their interval is cheaper.
import { quantileSorted } from "../../analyzer/statistics/quantile.js";
import { costOf, describeObjective, objectiveValues, tokenRoi, type ObjectiveSettings } from "../objective.js";
import { pairedBootstrap, summarizeScores, type PairedComparison, type ScoreSummary } from "../statistics.js";

export interface EvalItemResult {
  score: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  outputs?: Record<string, unknown>;
  feedback?: string;
  /** Set when every attempt failed; the item then scores 0. */
  error?: string;
  attempts: number;
}

export interface EvalVersionSummary {
  label: string;
  version: string;
  items: number;
  errors: number;
  /** Mean score (success rate for 0/1 metrics) with its interval. */
  quality: ScoreSummary;
  tokensPerItem: { prompt: number; completion: number; total: number };
  /** USD per item, null without configured prices. */
  costPerItem: number | null;
  /** Quality per 1,000 tokens. */
  tokenRoi: number | null;
  latencyMs: { p50: number; p95: number };
  /** The objective's per-item mean with its interval (measured against the first version). */
  objective: ScoreSummary;
}

export interface EvalComparison {
  /** The later version's label, compared with `reference`. */
  version: string;
  reference: string;
  /** Paired difference of quality (version − reference). */
  quality: PairedComparison;
  /** Paired difference of the objective. */
  objective: PairedComparison;
  tokensPerItemDiff: number;
  /** What a team may conclude, never more than the interval says. */
  verdict: string;
}

export interface EvalSummary {
  objective: { name: string; description: string; tokenPenalty: number };
  confidence: number;
  versions: EvalVersionSummary[];
  comparisons: EvalComparison[];
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Summarizes `results[item][column]` for the versions in column order. */
export function summarizeEval(
  versions: readonly { label: string; version: string }[],
  results: readonly (readonly EvalItemResult[])[],
  settings: { objective: ObjectiveSettings; prices: { prompt: number; completion: number }; confidence?: number; seed: number },
): EvalSummary {
  const confidence = settings.confidence ?? 0.95;
  const boot = { confidence, seed: settings.seed };
  const column = (c: number) => results.map((row) => row[c]!);
  const runsOf = (c: number) => column(c).map((r) => ({ score: r.score, tokens: r.promptTokens + r.completionTokens }));
  const reference = runsOf(0);
  const objectiveOf = (c: number) => objectiveValues(runsOf(c), settings.objective, reference);

  const summaries: EvalVersionSummary[] = versions.map((v, c) => {
    const col = column(c);
    const prompt = mean(col.map((r) => r.promptTokens));
    const completion = mean(col.map((r) => r.completionTokens));
    const latencies = col.map((r) => r.latencyMs).sort((a, b) => a - b);
    const cost = costOf(prompt, completion, settings.prices);
    const roi = tokenRoi(runsOf(c));
    return {
      label: v.label,
      version: v.version,
      items: col.length,
      errors: col.filter((r) => r.error !== undefined).length,
      quality: summarizeScores(col.map((r) => r.score), boot),
      tokensPerItem: { prompt: r4(prompt), completion: r4(completion), total: r4(prompt + completion) },
      costPerItem: cost === null ? null : Number(cost.toPrecision(4)),
      tokenRoi: roi === null ? null : r4(roi),
      latencyMs: { p50: Math.round(quantileSorted(latencies, 0.5) || 0), p95: Math.round(quantileSorted(latencies, 0.95) || 0) },
      objective: summarizeScores(objectiveOf(c), boot),
    };
  });

  const comparisons: EvalComparison[] = versions.slice(1).map((v, i) => {
    const c = i + 1;
    const quality = pairedBootstrap(column(c).map((r) => r.score), column(0).map((r) => r.score), boot);
    const objective = pairedBootstrap(objectiveOf(c), objectiveOf(0), boot);
    const tokensPerItemDiff = r4(summaries[c]!.tokensPerItem.total - summaries[0]!.tokensPerItem.total);
    return { version: v.label, reference: versions[0]!.label, quality, objective, tokensPerItemDiff, verdict: verdictOf(v.label, versions[0]!.label, objective, tokensPerItemDiff, confidence) };
  });

  return {
    objective: { name: settings.objective.objective, description: describeObjective(settings.objective), tokenPenalty: settings.objective.tokenPenalty },
    confidence,
    versions: summaries,
    comparisons,
  };
}

function verdictOf(version: string, reference: string, c: PairedComparison, tokensDiff: number, confidence: number): string {
  const level = `${Math.round(confidence * 100)}%`;
  const interval = `${level} interval [${c.ci[0]}, ${c.ci[1]}]`;
  if (c.ci[0] > 0) return `${version} is better than ${reference} on the objective: ${c.meanDiff >= 0 ? "+" : ""}${c.meanDiff}, ${interval}`;
  if (c.ci[1] < 0) return `${version} is worse than ${reference} on the objective: ${c.meanDiff}, ${interval}`;
  // Equal within the interval: the cheaper one is preferred (issue 27 point 4).
  const cheaper = tokensDiff < 0 ? version : tokensDiff > 0 ? reference : null;
  return `no difference shown between ${version} and ${reference} (${interval} includes 0)${cheaper ? `; ${cheaper} is cheaper by ${Math.abs(tokensDiff).toFixed(0)} tokens per item and is preferred` : ""}`;
}
