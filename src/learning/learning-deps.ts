// What a learning cycle needs from the rest of the system, as a plain record of functions
// (built by createLearningDeps in the composition root; tests pass their own). Each step is
// one use case of another module: the analyzer, the compiler (with its evaluation and gate)
// and the registry (commit or review branch).
import type { Guideline } from "../domain/compiled-version.js";

/** A signature the cycle can improve and the agent whose traces train it. */
export interface LearningTarget {
  signature: string;
  agent: string;
}

export interface AnalyzeOutcome {
  runId?: string;
  tracesRead: number;
  patternsFound: number;
  actionablePatterns: number;
}

export type CycleVerdict = "promoted" | "rejected" | "no_candidate";

export interface CompileOutcome {
  verdict: CycleVerdict;
  /** Why the gate decided so (or why there was nothing to try). */
  reason: string;
  parentVersion: string | null;
  candidateVersion: string | null;
  score: number | null;
  parentScore: number | null;
  candidatesTried: number;
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Where the promoted version was committed (auto: serving branch; review: a review branch). */
  saved?: { version: string; commit: string; branch: string; mode: "auto" | "review" };
  /** Guidelines of the parent and of the candidate, for the guideline history. */
  guidelinesBefore: Guideline[];
  guidelinesAfter: Guideline[];
}

export interface CycleCompileRequest {
  tenant: string;
  target: LearningTarget;
  /** LLM calls this compilation may still make (what is left of max_llm_calls_per_cycle). */
  maxLlmCalls: number;
  /** Analysis run whose patterns feed guideline induction. */
  analysisRunId?: string;
  /** Raised to stop the cycle: aborts model calls; checked between steps and before the commit. */
  signal?: AbortSignal;
}

/** How large a compilation's dev set would be now (compiler/measure-dev-set.ts). */
export interface DevSetReadiness {
  devExamples: number;
  needed: number;
  eligible: number;
  eligibleNeeded: number;
  goldOnly: boolean;
  /** Of `eligible`, the examples whose gold answer is a correction (`outcome.expected`). */
  corrected?: number;
}

export interface LearningDeps {
  /** Signatures the tenant has (prompts dir, plus agents seen in traces). */
  listTargets(tenant: string): Promise<LearningTarget[]>;
  /** Analyzer: mine the agent's traces (incrementally). */
  analyze(input: { tenant: string; agent: string; signal?: AbortSignal }): Promise<AnalyzeOutcome>;
  /** The dev set a compilation of the target would get now; undefined when the target has no signature source. Optional (tests). */
  measureDevSet?(tenant: string, target: LearningTarget): Promise<DevSetReadiness | undefined>;
  /** Brings the version mirror in step with git (review branches merged since). Optional (tests). */
  syncVersions?(tenant: string, signatures: string[]): Promise<void>;
  /** Compiler + gate + registry: propose a candidate, evaluate it, commit it if it wins. */
  compile(request: CycleCompileRequest): Promise<CompileOutcome>;
  /**
   * The shared heuristics library (heuristics_enabled): distil the agent's findings and failures,
   * update Q-values from the replay buffer, retire. Run between analysis and compilation so the
   * compile draws on it. Absent: no library.
   */
  refreshHeuristics?(input: { tenant: string; agent: string; signal?: AbortSignal; maxLlmCalls: number }): Promise<{ added: number; retired: number; llmCalls: number; tokens: number }>;
}
