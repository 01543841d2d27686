// Guideline induction: actionable patterns above the confidence threshold become guidelines
// (one per recommendation, with the pattern's id, confidence and evidence). Actionable means
// the analyzer's adjusted test held (within task and run length, or direct evidence of a tool's
// own failures), and a finding implied by a stronger one never becomes a guideline of its own.
// Pattern guidelines whose pattern no longer holds are dropped; hand-written ones are kept.
import type { Guideline } from "../../domain/compiled-version.js";
import { evidenceSummaryOf, type Pattern } from "../../domain/pattern.js";
import type { Optimizer } from "./optimizer.js";

export interface InducedGuidelines {
  guidelines: Guideline[];
  added: Guideline[];
  dropped: Guideline[];
}

/** What induction reads of a pattern. */
export type GuidelineSource = Pick<Pattern, "id" | "key" | "recommendations" | "confidence" | "actionable" | "impliedBy" | "stats">;

/** Recomputes the pattern guidelines of `current` from the latest patterns. */
export function induceGuidelines(current: Guideline[], patterns: readonly GuidelineSource[], confidenceThreshold: number): InducedGuidelines {
  const holding = patterns.filter((p) => p.actionable && !p.impliedBy && p.confidence >= confidenceThreshold && p.recommendations.length > 0);
  const handWritten = current.filter((g) => !g.patternKey && !g.patternId);
  const fromPatterns: Guideline[] = [];
  const seen = new Set(handWritten.map((g) => g.text.trim()));
  // Stable order (pattern key, then recommendation order) so a re-run yields the same file.
  for (const p of [...holding].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const evidence = evidenceSummaryOf(p);
    for (const text of p.recommendations) {
      const t = text.trim();
      if (!t || seen.has(t)) continue;
      seen.add(t);
      fromPatterns.push({ text: t, patternId: p.id, patternKey: p.key, confidence: Math.round(p.confidence * 1000) / 1000, ...(evidence ? { evidence } : {}) });
    }
  }
  const before = new Set(current.map((g) => g.text.trim()));
  const after = new Set(fromPatterns.map((g) => g.text));
  return {
    guidelines: [...handWritten, ...fromPatterns],
    added: fromPatterns.filter((g) => !before.has(g.text)),
    dropped: current.filter((g) => (g.patternKey || g.patternId) && !after.has(g.text.trim())),
  };
}

export const guidelineInduction: Optimizer = {
  name: "guideline-induction",
  async compile(_signature, current, _trainset, _metric, options) {
    const induced = induceGuidelines(current.guidelines, options.patterns.patterns, options.confidenceThreshold);
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
