// The strata every associational finding is tested within: the trace's task (its `task` key,
// else its intent group from clustering its input) crossed with a run-length band.
//
// Run length (the number of tool calls; thinking steps are left out so that thinking findings
// are not adjusted for themselves) is controlled as a second stratification, not by a logistic
// model with stratum effects: the counts stay exact 2×2 tables per stratum, so the same CMH /
// Mantel–Haenszel machinery serves every finding, sparse strata are handled (MH estimators stay
// consistent with many small strata, where a logistic fit with one parameter per task needs
// iterations per candidate and can diverge), nothing assumes task and length add up on the logit
// scale, and thousands of candidates cost one pass over the traces. Length is partly a
// consequence of what a run does, so a harm that works by making runs longer is underestimated:
// a conservative choice for advice that goes into prompts.
import type { TraceFeatures } from "./trace-features.js";
import { quantileSorted } from "./statistics/quantile.js";

/** A group of traces that do the same job: a task key, an intent found by clustering, or all traces. */
export interface TaskGroup {
  kind: "task" | "intent" | "all";
  /** `task:<key>`, `intent:<n>`, or `all`. */
  key: string;
  label: string;
}

/** Intent groups found for traces without a task key (see group-intents.ts). */
export interface IntentAssignment {
  /** Intent index of each trace in the clustered sample. */
  byTrace: ReadonlyMap<string, number>;
  labels: readonly string[];
  /** Most central inputs of each intent. */
  examples?: readonly { traceId: string; text: string }[][];
}

export interface TraceStrata {
  /** Stratum of each trace (same order as the traces); −1 leaves it out of within-strata tests. */
  of: Int32Array;
  count: number;
  /** Task group and length band of each stratum. */
  groupOf: Int32Array;
  bandOf: Int32Array;
  groups: TaskGroup[];
  /** Inclusive bounds (tool calls) of each band. */
  bands: { min: number; max: number }[];
  /** Words after "within": "task", "intent", "task and run length", "run length", or "" (one stratum). */
  adjustedFor: string;
  /** Traces left out of within-strata tests (inputs outside the clustered sample). */
  unassigned: number;
}

/** Length bands: at most this many, cut at the window's quantiles of tool calls per run. */
export const LENGTH_BANDS = 4;

/** Cut points so that band = number of cuts below a run's length (ties collapse bands). */
export function lengthCuts(lengths: readonly number[], bands = LENGTH_BANDS): number[] {
  if (lengths.length === 0) return [];
  const sorted = [...lengths].sort((a, b) => a - b);
  const cuts = new Set<number>();
  for (let i = 1; i < bands; i++) cuts.add(Math.floor(quantileSorted(sorted, i / bands)));
  // A cut at the maximum would leave its band empty.
  return [...cuts].filter((c) => c < sorted[sorted.length - 1]!).sort((a, b) => a - b);
}

function bandOfLength(length: number, cuts: readonly number[]): number {
  let band = 0;
  while (band < cuts.length && length > cuts[band]!) band++;
  return band;
}

/**
 * Builds the strata of a window. Traces with a task key go to their task; the others to their
 * intent when `intents` has one for them (with at least two intents), to one "all" group when
 * no intent grouping applies, and out of the within-strata tests (−1) when intents exist but the
 * trace was outside the clustered sample. Only labelled traces set the length bands.
 */
export function buildStrata(traces: readonly TraceFeatures[], intents?: IntentAssignment): TraceStrata {
  const useIntents = intents !== undefined && intents.labels.length >= 2;
  const groups: TaskGroup[] = [];
  const groupIndex = new Map<string, number>();
  const groupOf = (g: TaskGroup) => {
    let i = groupIndex.get(g.key);
    if (i === undefined) {
      i = groups.length;
      groupIndex.set(g.key, i);
      groups.push(g);
    }
    return i;
  };
  // Groups numbered in a fixed order (tasks sorted, then intents, then all) for reproducible output.
  for (const task of [...new Set(traces.flatMap((t) => (t.task ? [t.task] : [])))].sort()) groupOf({ kind: "task", key: `task:${task}`, label: task });
  if (useIntents) intents.labels.forEach((label, i) => groupOf({ kind: "intent", key: `intent:${i + 1}`, label }));
  const cuts = lengthCuts(traces.filter((t) => t.success !== null).map((t) => t.tools.length));
  const nBands = cuts.length + 1;
  const traceGroup = new Int32Array(traces.length);
  let unassigned = 0;
  traces.forEach((t, i) => {
    if (t.task) traceGroup[i] = groupIndex.get(`task:${t.task}`)!;
    else if (!useIntents) traceGroup[i] = groupOf({ kind: "all", key: "all", label: "all runs without a task key" });
    else {
      const intent = intents.byTrace.get(t.traceId);
      traceGroup[i] = intent === undefined ? -1 : groupIndex.get(`intent:${intent + 1}`)!;
      if (intent === undefined) unassigned++;
    }
  });
  const count = groups.length * nBands;
  const of = new Int32Array(traces.length);
  traces.forEach((t, i) => {
    of[i] = traceGroup[i]! < 0 ? -1 : traceGroup[i]! * nBands + bandOfLength(t.tools.length, cuts);
  });
  const kinds = new Set(groups.map((g) => g.kind));
  const taskWord = groups.length < 2 ? "" : kinds.has("task") && kinds.has("intent") ? "task or intent" : kinds.has("intent") ? "intent" : "task";
  const adjustedFor = [taskWord, nBands > 1 ? "run length" : ""].filter(Boolean).join(" and ");
  const bounds = [0, ...cuts.map((c) => c + 1)];
  return {
    of,
    count,
    groupOf: Int32Array.from({ length: count }, (_, s) => Math.floor(s / nBands)),
    bandOf: Int32Array.from({ length: count }, (_, s) => s % nBands),
    groups,
    bands: bounds.map((min, b) => ({ min, max: b < cuts.length ? cuts[b]! : Number.POSITIVE_INFINITY })),
    adjustedFor,
    unassigned,
  };
}

/** Human label of a stratum: "task checkout, 5–8 calls". */
export function stratumLabel(strata: TraceStrata, s: number): string {
  const group = strata.groups[strata.groupOf[s]!]!;
  const band = strata.bands[strata.bandOf[s]!]!;
  const length = strata.bands.length < 2 ? "" : Number.isFinite(band.max) ? (band.min === band.max ? `, ${band.min} calls` : `, ${band.min}–${band.max} calls`) : `, ${band.min}+ calls`;
  return `${group.kind === "all" ? "all runs" : `${group.kind} ${group.label}`}${length}`;
}
