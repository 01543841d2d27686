// Runs every miner over one window of trace features and scores all candidates together, so
// the multiple-testing correction spans every pattern type. Traces are placed in strata (task or
// intent × run-length band) first; every association is tested within them.
import type { TraceFeatures } from "./trace-features.js";
import { mineSequences } from "./mine-sequences.js";
import { mineTools } from "./mine-tools.js";
import { mineThinking } from "./mine-thinking.js";
import { minePerformance } from "./mine-performance.js";
import { scoreCandidates, type ScoredPattern } from "./score-candidates.js";
import { buildStrata, type IntentAssignment, type TaskGroup, type TraceStrata } from "./strata.js";

export interface MineOptions {
  minTraces: number;
  confidenceThreshold: number;
  /** Intent groups of traces without a task key (group-intents.ts). Default: none (one group). */
  intents?: IntentAssignment;
}

/** A task group as stored with the run: how many traces it holds and how they fared. */
export interface StratumSummary extends TaskGroup {
  size: number;
  labelled: number;
  successes: number;
  examples: { traceId: string; text: string }[];
  /** Trace ids of an intent (what the dashboard filters by); empty for task and `all` groups. */
  members: string[];
}

export interface MineResult {
  patterns: ScoredPattern[];
  /** Traces with a known outcome (the sample size of outcome tests). */
  labelledTraces: number;
  /** Candidates tested (the size of the multiple-testing family). */
  candidates: number;
  /** The groups findings were compared within, and the length bands. */
  strata: StratumSummary[];
  adjustment: { adjustedFor: string; strata: number; lengthBands: TraceStrata["bands"]; unassignedTraces: number };
}

/** Mines and scores all pattern types. Pure: the same features (and intents) give the same patterns. */
export function minePatterns(traces: readonly TraceFeatures[], options: MineOptions): MineResult {
  const strata = buildStrata(traces, options.intents);
  const stratified = traces.map((t, i) => ({ ...t, stratum: strata.of[i]! }));
  const labelled = stratified.filter((t) => t.success !== null);
  const n = strata.count;
  const candidates = [...mineSequences(labelled, n), ...mineTools(stratified, n, strata), ...mineThinking(stratified, n), ...minePerformance(stratified, n)];
  const patterns = scoreCandidates(candidates, { labelledTraces: labelled.length, minTraces: options.minTraces, confidenceThreshold: options.confidenceThreshold, strata, labelled });
  return { patterns, labelledTraces: labelled.length, candidates: candidates.length, strata: summarizeGroups(stratified, strata, options.intents), adjustment: { adjustedFor: strata.adjustedFor, strata: strata.count, lengthBands: strata.bands, unassignedTraces: strata.unassigned } };
}

function summarizeGroups(traces: readonly TraceFeatures[], strata: TraceStrata, intents: IntentAssignment | undefined): StratumSummary[] {
  const out = strata.groups.map((g): StratumSummary => ({ ...g, size: 0, labelled: 0, successes: 0, examples: [], members: [] }));
  const nBands = strata.bands.length;
  for (const t of traces) {
    if (t.stratum < 0) continue;
    const g = out[Math.floor(t.stratum / nBands)]!;
    g.size++;
    if (t.success !== null) g.labelled++;
    if (t.success) g.successes++;
    if (g.kind === "intent") g.members.push(t.traceId);
  }
  out.forEach((g) => {
    if (g.kind === "intent") g.examples = intents?.examples?.[Number(g.key.slice("intent:".length)) - 1] ?? [];
  });
  return out;
}
