// The patterns a compiled version applies: its guidelines that came from the analyzer, with the
// evidence (example trace ids) looked up in the `patterns` table when a database is at hand.
import type { CompiledVersion, Guideline } from "../domain/compiled-version.js";

export interface AppliedPattern {
  id?: string;
  key?: string;
  /** The guideline text the pattern became. */
  guideline: string;
  /** Set when the text was learned into this tool's description instead of the guidelines. */
  tool?: string;
  confidence?: number;
  /** Its evidence: adjusted effect within strata, or the tool's error rate and failure reasons. */
  evidence?: string;
  /** A few trace ids that exhibit the pattern. */
  exampleTraceIds: string[];
}

/** Guidelines of `version` (and texts learned into its tools' descriptions) that carry a pattern id or key, without evidence. */
export function patternsOf(version: CompiledVersion): AppliedPattern[] {
  const fromPattern = (g: Guideline) => g.patternId !== undefined || g.patternKey !== undefined;
  const applied = (g: Guideline, tool?: string): AppliedPattern => ({
    ...(g.patternId !== undefined ? { id: g.patternId } : {}),
    ...(g.patternKey !== undefined ? { key: g.patternKey } : {}),
    guideline: g.text,
    ...(tool !== undefined ? { tool } : {}),
    ...(g.confidence !== undefined ? { confidence: g.confidence } : {}),
    ...(g.evidence !== undefined ? { evidence: g.evidence } : {}),
    exampleTraceIds: [],
  });
  return [
    ...version.guidelines.filter(fromPattern).map((g) => applied(g)),
    ...(version.tools ?? []).flatMap((t) => (t.learned ?? []).filter(fromPattern).map((g) => applied(g, t.name))),
  ];
}
