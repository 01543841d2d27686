// The patterns a compiled version applies: its guidelines that came from the analyzer, with the
// evidence (example trace ids) looked up in the `patterns` table when a database is at hand.
import type { CompiledVersion } from "../domain/compiled-version.js";

export interface AppliedPattern {
  id?: string;
  key?: string;
  /** The guideline text the pattern became. */
  guideline: string;
  confidence?: number;
  /** Its evidence: adjusted effect within strata, or the tool's error rate and failure reasons. */
  evidence?: string;
  /** A few trace ids that exhibit the pattern. */
  exampleTraceIds: string[];
}

/** Guidelines of `version` that carry a pattern id or key, without evidence. */
export function patternsOf(version: CompiledVersion): AppliedPattern[] {
  return version.guidelines
    .filter((g) => g.patternId !== undefined || g.patternKey !== undefined)
    .map((g) => ({
      ...(g.patternId !== undefined ? { id: g.patternId } : {}),
      ...(g.patternKey !== undefined ? { key: g.patternKey } : {}),
      guideline: g.text,
      ...(g.confidence !== undefined ? { confidence: g.confidence } : {}),
      ...(g.evidence !== undefined ? { evidence: g.evidence } : {}),
      exampleTraceIds: [],
    }));
}
