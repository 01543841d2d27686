// Runs every miner over one window of trace features and scores all candidates together, so
// the multiple-testing correction spans every pattern type.
import type { TraceFeatures } from "./trace-features.js";
import { mineSequences } from "./mine-sequences.js";
import { mineTools } from "./mine-tools.js";
import { mineThinking } from "./mine-thinking.js";
import { minePerformance } from "./mine-performance.js";
import { scoreCandidates, type ScoredPattern } from "./score-candidates.js";

export interface MineOptions {
  minTraces: number;
  confidenceThreshold: number;
}

export interface MineResult {
  patterns: ScoredPattern[];
  /** Traces with a known outcome (the sample size of outcome tests). */
  labelledTraces: number;
  /** Candidates tested (the size of the multiple-testing family). */
  candidates: number;
}

/** Mines and scores all pattern types. Pure: the same features give the same patterns. */
export function minePatterns(traces: readonly TraceFeatures[], options: MineOptions): MineResult {
  const labelled = traces.filter((t) => t.success !== null);
  const candidates = [...mineSequences(labelled), ...mineTools(traces), ...mineThinking(traces), ...minePerformance(traces)];
  const patterns = scoreCandidates(candidates, { labelledTraces: labelled.length, minTraces: options.minTraces, confidenceThreshold: options.confidenceThreshold });
  return { patterns, labelledTraces: labelled.length, candidates: candidates.length };
}
