// A canary release as the registry stores it and the dashboard shows it: the two arms, the
// settings it started with, its status, and the decision with its evidence.
import { z } from "zod";

export const CANARY_STATUSES = ["running", "deciding", "promoted", "rolled_back", "stopped"] as const;
export type CanaryStatus = (typeof CANARY_STATUSES)[number];

/** Frozen when the canary starts, so neither a restart nor a config change alters a test in flight. */
export const CanarySettingsSchema = z.object({
  share: z.number().min(0).max(1),
  confidence: z.number().min(0.5).max(0.999),
  effectSize: z.number().positive(),
  minRuns: z.number().int().positive(),
  maxRuns: z.number().int().positive(),
  maxDurationSeconds: z.number().positive(),
  maxLatencyIncrease: z.number().min(0),
  maxCostIncrease: z.number().min(0),
  objective: z.enum(["quality", "quality_cost", "token_roi"]),
  tokenPenalty: z.number().min(0),
});
export type CanarySettings = z.infer<typeof CanarySettingsSchema>;

/** What one arm did: runs with an outcome, successes, the objective, tokens, latency. */
export const ArmEvidenceSchema = z.object({
  version: z.string(),
  /** Runs routed to the arm. */
  runs: z.number().int(),
  /** Runs with a reported outcome (the test counts only these). */
  labelled: z.number().int(),
  successes: z.number().int(),
  successRate: z.number().nullable(),
  /** Mean of the objective per run (equals successRate for `quality`). */
  objectiveMean: z.number().nullable(),
  tokensPerRun: z.number().nullable(),
  costPerRun: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
});
export type ArmEvidence = z.infer<typeof ArmEvidenceSchema>;

export const CanaryEvidenceSchema = z.object({
  incumbent: ArmEvidenceSchema,
  candidate: ArmEvidenceSchema,
  /** Candidate − incumbent on the objective, with the always-valid interval at the test's confidence. */
  difference: z.number().nullable(),
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** The mixture likelihood ratio, and the threshold (1/α) it must reach to decide. */
  statistic: z.number().nullable(),
  threshold: z.number(),
  /** Always-valid p-value of "no difference" at this check (min(1, 1/Λ)). */
  pValue: z.number().nullable(),
  comparison: z.string(),
});
export type CanaryEvidence = z.infer<typeof CanaryEvidenceSchema>;

export const CanaryDecisionSchema = z.object({
  outcome: z.enum(["promoted", "rolled_back", "stopped"]),
  /** The rule that decided: the test, a guardrail or a limit. */
  rule: z.enum(["sequential_test", "latency_guardrail", "cost_guardrail", "max_runs", "max_duration"]),
  reason: z.string(),
  evidence: CanaryEvidenceSchema,
  decidedBy: z.string(),
});
export type CanaryDecision = z.infer<typeof CanaryDecisionSchema>;

export interface Canary {
  id: string;
  tenant: string;
  signature: string;
  incumbentVersion: string;
  candidateVersion: string;
  status: CanaryStatus;
  settings: CanarySettings;
  decision: CanaryDecision | null;
  commitSha: string | null;
  startedAt: string;
  decidedAt: string | null;
}
