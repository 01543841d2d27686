// Fills in the evidence (example trace ids, evidence summary) of the patterns a version applies
// from the analyzer's findings, which the caller looked up (compile-and-record: the analyzer owns
// the `patterns` table and sits above the registry).
import type { CompiledVersion } from "../domain/compiled-version.js";
import { evidenceSummaryOf, type Pattern } from "../domain/pattern.js";
import { patternsOf, type AppliedPattern } from "./applied-patterns.js";

const EXAMPLES = 3;

/** The version's pattern guidelines with up to three example trace ids each, from `findings` (patterns by id). */
export function resolveAppliedPatterns(version: CompiledVersion, findings: readonly Pattern[]): AppliedPattern[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  return patternsOf(version).map((p) => {
    const finding = p.id ? byId.get(p.id) : undefined;
    if (!finding) return p;
    const summary = evidenceSummaryOf(finding);
    return {
      ...p,
      key: p.key ?? finding.key,
      confidence: p.confidence ?? finding.confidence,
      ...(p.evidence === undefined && summary !== undefined ? { evidence: summary } : {}),
      exampleTraceIds: [...finding.evidence.success, ...finding.evidence.failure].slice(0, EXAMPLES),
    };
  });
}

/** Ids of the patterns the version's guidelines came from: what to look up before recording it. */
export function appliedPatternIds(version: CompiledVersion): string[] {
  return patternsOf(version).flatMap((p) => (p.id === undefined ? [] : [p.id]));
}
