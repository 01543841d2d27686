// The promotion objective (config `promotion_objective`): what "better" means for the gate, the
// evaluation harness and canaries. Every objective becomes one number per run, so the same
// paired bootstrap (gate, harness) and sequential test (canary) compare any of them:
//   quality       u = score
//   quality_cost  u = score − penalty × tokens / 1000
//   token_roi     u = score − R × tokens / 1000, R = the reference version's quality per 1,000
//                 tokens. Its mean is 0 for the reference, and above 0 exactly when a version's
//                 quality per token beats the reference's — a ratio turned into a difference.
export const PROMOTION_OBJECTIVES = ["quality", "quality_cost", "token_roi"] as const;
export type PromotionObjective = (typeof PROMOTION_OBJECTIVES)[number];

export interface ObjectiveSettings {
  objective: PromotionObjective;
  /** quality_cost: score points lost per 1,000 tokens (config `objective_token_penalty`). */
  tokenPenalty: number;
}

/** One run or example: its score (0–1) and the tokens it spent. */
export interface ScoredRun {
  score: number;
  tokens: number;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Quality per 1,000 tokens of a set of runs (null when they spent no tokens). */
export function tokenRoi(runs: readonly ScoredRun[]): number | null {
  const tokens = mean(runs.map((r) => r.tokens));
  return tokens > 0 ? mean(runs.map((r) => r.score)) / (tokens / 1000) : null;
}

/**
 * Per-run objective values of `runs`, measured against `reference` (the parent, baseline or
 * incumbent; token_roi needs it, the others ignore it).
 */
export function objectiveValues(runs: readonly ScoredRun[], settings: ObjectiveSettings, reference: readonly ScoredRun[]): number[] {
  switch (settings.objective) {
    case "quality":
      return runs.map((r) => r.score);
    case "quality_cost":
      return runs.map((r) => r.score - (settings.tokenPenalty * r.tokens) / 1000);
    case "token_roi": {
      const roi = tokenRoi(reference) ?? 0;
      return runs.map((r) => r.score - (roi * r.tokens) / 1000);
    }
  }
}

/** One line saying what the objective compares, for reports and commit messages. */
export function describeObjective(settings: ObjectiveSettings): string {
  switch (settings.objective) {
    case "quality":
      return "quality (the metric alone)";
    case "quality_cost":
      return `quality − ${settings.tokenPenalty} per 1,000 tokens`;
    case "token_roi":
      return "token ROI (quality beyond what the reference's quality per 1,000 tokens buys)";
  }
}

/** USD of a run from its tokens and the configured prices (null when no price is configured). */
export function costOf(promptTokens: number, completionTokens: number, prices: { prompt: number; completion: number }): number | null {
  if (prices.prompt === 0 && prices.completion === 0) return null;
  return (promptTokens * prices.prompt + completionTokens * prices.completion) / 1e6;
}
