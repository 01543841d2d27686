// A candidate pattern before scoring: a binary feature ("exposure") of traces and a 2×2 table
// of exposure against a measured outcome (run success, or being a performance outlier), overall
// (crude) and per stratum (task × run length, strata.ts), plus sample evidence. Miners produce
// candidates; score-candidates tests them all together.
import type { PatternType } from "../domain/pattern.js";
import type { TraceFeatures } from "./trace-features.js";

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
  /**
   * Set for direct evidence: the p-value of the tool's own call errors against other tools'
   * (or, for a tool called alone, against its own calls for other kinds of input: mine-tools.ts)
   * (call level, no outcome involved). The finding is judged on it; the run-level table is the
   * supporting association (do runs where it fails succeed less, within strata).
   */
  directPValue?: number;
  /** Only the direction that makes a useful finding is kept after scoring (e.g. effect < 0). */
  keepIf?: "positive" | "negative";
  /** The same table per stratum: exposed traces and hits, and all traces and hits of the population. */
  strata: StratumCounts;
  /** Which traces of the population are exposed and which are hits (redundancy checks); set for tool and sequence kinds. */
  exposure?: Exposure;
  evidence: { success: string[]; failure: string[] };
  stats: Record<string, unknown>;
}

export interface StratumCounts {
  withN: Int32Array;
  withHits: Int32Array;
  totalN: Int32Array;
  totalHits: Int32Array;
}

/** Membership of one trace, recomputed on demand for the few findings whose redundancy is checked. */
export type Exposure = (t: TraceFeatures) => boolean;

interface Slot {
  last: number;
  n: number;
  hits: number;
  sn: Int32Array;
  sh: Int32Array;
  success: string[];
  failure: string[];
}

/** Counts, per numeric feature key, the traces exposed and the hits among them (once per trace), overall and per stratum. */
export class ExposureCounter {
  readonly slots = new Map<number, Slot>();

  /** `strata`: number of strata (trace strata are 0..strata−1, or −1 for none). */
  constructor(private readonly strata: number) {}

  add(key: number, traceIndex: number, hit: boolean, traceId: string, success: boolean | null, stratum: number): void {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { last: -1, n: 0, hits: 0, sn: new Int32Array(this.strata), sh: new Int32Array(this.strata), success: [], failure: [] };
      this.slots.set(key, slot);
    }
    if (slot.last === traceIndex) return;
    slot.last = traceIndex;
    slot.n++;
    if (hit) slot.hits++;
    if (stratum >= 0) {
      slot.sn[stratum]!++;
      if (hit) slot.sh[stratum]!++;
    }
    if (success === true && slot.success.length < EVIDENCE_SAMPLES) slot.success.push(traceId);
    if (success === false && slot.failure.length < EVIDENCE_SAMPLES) slot.failure.push(traceId);
  }
}

/** Population totals, overall and per stratum. */
export interface Totals {
  n: number;
  hits: number;
  sn: Int32Array;
  sh: Int32Array;
}

/** Counts a population's traces and hits overall and per stratum. */
export function totalsOf<T extends { stratum: number }>(population: readonly T[], hit: (t: T) => boolean, strata: number): Totals {
  const totals: Totals = { n: 0, hits: 0, sn: new Int32Array(strata), sh: new Int32Array(strata) };
  for (const t of population) {
    const h = hit(t);
    totals.n++;
    if (h) totals.hits++;
    if (t.stratum >= 0) {
      totals.sn[t.stratum]!++;
      if (h) totals.sh[t.stratum]!++;
    }
  }
  return totals;
}

/** A slot with nothing counted (a feature no trace has). */
export function emptySlot(strata: number): Pick<Slot, "n" | "hits" | "sn" | "sh" | "success" | "failure"> {
  return { n: 0, hits: 0, sn: new Int32Array(strata), sh: new Int32Array(strata), success: [], failure: [] };
}

/** Builds a candidate from a counted slot and the population totals. */
export function candidateFrom(
  slot: Pick<Slot, "n" | "hits" | "sn" | "sh" | "success" | "failure">,
  totals: Totals,
  fields: Omit<Candidate, "withN" | "withHits" | "withoutN" | "withoutHits" | "evidence" | "population" | "stats" | "strata"> & { stats?: Record<string, unknown>; population?: number },
): Candidate {
  return {
    ...fields,
    withN: slot.n,
    withHits: slot.hits,
    withoutN: totals.n - slot.n,
    withoutHits: totals.hits - slot.hits,
    population: fields.population ?? totals.n,
    strata: { withN: slot.sn, withHits: slot.sh, totalN: totals.sn, totalHits: totals.sh },
    evidence: { success: slot.success, failure: slot.failure },
    stats: fields.stats ?? {},
  };
}

/** Whether both groups are large enough for a test to say anything. */
export function testable(c: Pick<Candidate, "withN" | "withoutN">): boolean {
  return c.withN >= MIN_GROUP_SIZE && c.withoutN >= MIN_GROUP_SIZE;
}
