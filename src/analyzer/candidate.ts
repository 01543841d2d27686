// A candidate pattern before scoring: a binary feature ("exposure") of traces and a 2×2 table
// of exposure against a measured outcome (run success, or being a performance outlier), plus
// sample evidence. Miners produce candidates; score-candidates tests them all together.
import type { PatternType } from "../domain/pattern.js";

export const EVIDENCE_SAMPLES = 5;
/** Both groups need this many traces before a candidate is worth a test. */
export const MIN_GROUP_SIZE = 5;

export type CandidateKind =
  | "before"
  | "ngram"
  | "tool"
  | "tool_error"
  | "last_tool"
  | "thinking_present"
  | "thinking_long"
  | "thinking_justified"
  | "outliers"
  | "outlier_tool";

export interface Candidate {
  /** Success-or-failure direction is decided after counting for sequences, so it may change. */
  type: PatternType;
  kind: CandidateKind;
  key: string;
  /** Tools named by the pattern, in order. */
  tools: string[];
  /** What the outcome columns count: run success or being a performance outlier. */
  outcome: "success" | "outlier";
  withN: number;
  withHits: number;
  withoutN: number;
  withoutHits: number;
  /** Traces the frequency is measured against. */
  population: number;
  /** Extra p-values of the same hypothesis (e.g. a call-level error test); Bonferroni-combined. */
  extraPValues?: number[];
  /** Only the direction that makes a useful finding is kept after scoring (e.g. effect < 0). */
  keepIf?: "positive" | "negative";
  evidence: { success: string[]; failure: string[] };
  stats: Record<string, unknown>;
}

interface Slot {
  last: number;
  n: number;
  hits: number;
  success: string[];
  failure: string[];
}

/** Counts, per numeric feature key, the traces exposed and the hits among them (once per trace). */
export class ExposureCounter {
  readonly slots = new Map<number, Slot>();

  add(key: number, traceIndex: number, hit: boolean, traceId: string, success: boolean | null): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { last: -1, n: 0, hits: 0, success: [], failure: [] };
      this.slots.set(key, slot);
    }
    if (slot.last === traceIndex) return;
    slot.last = traceIndex;
    slot.n++;
    if (hit) slot.hits++;
    if (success === true && slot.success.length < EVIDENCE_SAMPLES) slot.success.push(traceId);
    if (success === false && slot.failure.length < EVIDENCE_SAMPLES) slot.failure.push(traceId);
  }
}

/** Builds a candidate from a counted slot and the population totals. */
export function candidateFrom(
  slot: { n: number; hits: number; success: string[]; failure: string[] },
  totals: { n: number; hits: number },
  fields: Omit<Candidate, "withN" | "withHits" | "withoutN" | "withoutHits" | "evidence" | "population" | "stats"> & { stats?: Record<string, unknown>; population?: number },
): Candidate {
  return {
    ...fields,
    withN: slot.n,
    withHits: slot.hits,
    withoutN: totals.n - slot.n,
    withoutHits: totals.hits - slot.hits,
    population: fields.population ?? totals.n,
    evidence: { success: slot.success, failure: slot.failure },
    stats: fields.stats ?? {},
  };
}

/** Whether both groups are large enough for a test to say anything. */
export function testable(c: Pick<Candidate, "withN" | "withoutN">): boolean {
  return c.withN >= MIN_GROUP_SIZE && c.withoutN >= MIN_GROUP_SIZE;
}
