// Guideline induction: actionable patterns above the confidence threshold become guidelines
// (one per recommendation, with the pattern's id, confidence and evidence). Actionable means
// the analyzer's adjusted test held (within task and run length, or direct evidence of a tool's
// own failures), and a finding implied by a stronger one never becomes a guideline of its own.
// Pattern guidelines whose pattern no longer holds are dropped; hand-written ones are kept.
// Direct findings about a tool the signature declares (its own errors, its effectiveness) go into
// that tool's description instead (compiler/induce-tool-guidelines.ts), not into the system prompt.
import type { CompiledVersion, Guideline } from "../../domain/compiled-version.js";
import { evidenceSummaryOf, type Pattern } from "../../domain/pattern.js";
import type { Optimizer } from "./optimizer.js";

export interface InducedGuidelines {
  guidelines: Guideline[];
  added: Guideline[];
  dropped: Guideline[];
}

/** What induction reads of a pattern. */
export type GuidelineSource = Pick<Pattern, "id" | "key" | "recommendations" | "confidence" | "actionable" | "impliedBy" | "stats">;

/** The findings that hold: actionable, not implied by a stronger one, confident enough, with advice. */
export function holdingPatterns<P extends GuidelineSource>(patterns: readonly P[], confidenceThreshold: number): P[] {
  return patterns.filter((p) => p.actionable && !p.impliedBy && p.confidence >= confidenceThreshold && p.recommendations.length > 0);
}

/** The guideline a recommendation of `p` becomes: its text with the pattern's id, key, confidence and evidence. */
export function guidelineFrom(p: GuidelineSource, text: string): Guideline {
  const evidence = evidenceSummaryOf(p);
  return { text, patternId: p.id, patternKey: p.key, confidence: Math.round(p.confidence * 1000) / 1000, ...(evidence ? { evidence } : {}) };
}

/**
 * The tool a finding is direct evidence about, if any: `tool_effectiveness:tool:<name>` (its
 * effectiveness) or `failure_pattern:tool_error:<name>` (its own call errors and why they fail).
 */
export function toolOfPattern(key: string | undefined): string | undefined {
  const m = key === undefined ? null : /^(?:[a-z_]+:)?(?:tool|tool_error):([^:]+)$/.exec(key);
  return m ? m[1] : undefined;
}

/**
 * Recomputes the pattern guidelines of `current` from the latest patterns. Findings about one of
 * `declaredTools` are left to that tool's description.
 */
export function induceGuidelines(current: Guideline[], patterns: readonly GuidelineSource[], confidenceThreshold: number, declaredTools: ReadonlySet<string> = new Set()): InducedGuidelines {
  const aboutDeclaredTool = (key: string | undefined) => declaredTools.has(toolOfPattern(key) ?? "");
  const holding = holdingPatterns(patterns, confidenceThreshold).filter((p) => !aboutDeclaredTool(p.key));
  const handWritten = current.filter((g) => !g.patternKey && !g.patternId);
  const fromPatterns: Guideline[] = [];
  const seen = new Set(handWritten.map((g) => g.text.trim()));
  // Stable order (pattern key, then recommendation order) so a re-run yields the same file.
  for (const p of [...holding].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    for (const text of p.recommendations) {
      const t = text.trim();
      if (!t || seen.has(t)) continue;
      seen.add(t);
      fromPatterns.push(guidelineFrom(p, t));
    }
  }
  const before = new Set(current.map((g) => g.text.trim()));
  const after = new Set(fromPatterns.map((g) => g.text));
  return {
    guidelines: [...handWritten, ...fromPatterns],
    added: fromPatterns.filter((g) => !before.has(g.text)),
    // A guideline about a declared tool moved into the tool's description: not "no longer holds".
    dropped: current.filter((g) => (g.patternKey || g.patternId) && !after.has(g.text.trim()) && !aboutDeclaredTool(g.patternKey)),
  };
}

/** The names of the tools a version declares. */
export const declaredToolNames = (version: Pick<CompiledVersion, "tools">): Set<string> => new Set((version.tools ?? []).map((t) => t.name));

export const guidelineInduction: Optimizer = {
  name: "guideline-induction",
  async compile(_signature, current, _trainset, _metric, options) {
    const induced = induceGuidelines(current.guidelines, options.patterns.patterns, options.confidenceThreshold, declaredToolNames(current));
    return {
      instructions: current.instructions,
      guidelines: induced.guidelines,
      demos: current.demos,
      notes: [
        ...induced.added.map((g) => `guideline added from pattern ${g.patternKey} (confidence ${g.confidence}${g.evidence ? `; ${g.evidence}` : ""}): ${g.text}`),
        ...induced.dropped.map((g) => `guideline dropped, its pattern ${g.patternKey ?? g.patternId} no longer holds: ${g.text}`),
      ],
    };
  },
};
