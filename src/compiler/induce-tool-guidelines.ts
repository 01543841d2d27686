// What the analyzer learned about a declared tool lands in that tool's description: the
// recommendations of the findings that are direct evidence about the tool — its own call errors
// and failure reasons (`tool_error:<name>`), its effectiveness (`tool:<name>`) — when they hold
// (guideline induction's rule: actionable, not implied, confident enough). They are kept apart from
// the hand-written description, each with its finding (`learned` of the compiled tool), so the
// file, the diff and the PR text show what was learned and why. Every compile recomputes them from
// the latest findings: a finding that no longer holds takes its text out again.
import type { CompiledTool, Guideline } from "../domain/compiled-version.js";
import type { GuidelineSource } from "./optimizers/guideline-induction.js";
import { guidelineFrom, holdingPatterns, toolOfPattern } from "./optimizers/guideline-induction.js";

export interface InducedToolGuidelines {
  tools: CompiledTool[] | undefined;
  added: { tool: string; guideline: Guideline }[];
  dropped: { tool: string; guideline: Guideline }[];
}

/** `tools` with their `learned` part recomputed from `patterns`. */
export function induceToolGuidelines(tools: readonly CompiledTool[] | undefined, patterns: readonly GuidelineSource[], confidenceThreshold: number): InducedToolGuidelines {
  if (!tools || tools.length === 0) return { tools: tools ? [...tools] : undefined, added: [], dropped: [] };
  const holding = holdingPatterns(patterns, confidenceThreshold).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const added: InducedToolGuidelines["added"] = [];
  const dropped: InducedToolGuidelines["dropped"] = [];
  const next = tools.map((tool): CompiledTool => {
    const seen = new Set<string>([tool.description.trim()]);
    const learned: Guideline[] = [];
    for (const p of holding.filter((x) => toolOfPattern(x.key) === tool.name)) {
      for (const text of p.recommendations) {
        const t = text.trim();
        if (!t || seen.has(t)) continue;
        seen.add(t);
        learned.push(guidelineFrom(p, t));
      }
    }
    const before = new Set((tool.learned ?? []).map((g) => g.text));
    const after = new Set(learned.map((g) => g.text));
    for (const g of learned) if (!before.has(g.text)) added.push({ tool: tool.name, guideline: g });
    for (const g of tool.learned ?? []) if (!after.has(g.text)) dropped.push({ tool: tool.name, guideline: g });
    const { learned: _old, ...declared } = tool;
    return learned.length > 0 ? { ...declared, learned } : declared;
  });
  return { tools: next, added, dropped };
}

/** Compile-report notes for what changed in tool descriptions. */
export function toolGuidelineNotes(induced: InducedToolGuidelines): string[] {
  return [
    ...induced.added.map(({ tool, guideline: g }) => `tool ${tool}: learned from pattern ${g.patternKey} (confidence ${g.confidence}${g.evidence ? `; ${g.evidence}` : ""}): ${g.text}`),
    ...induced.dropped.map(({ tool, guideline: g }) => `tool ${tool}: learned text dropped, its pattern ${g.patternKey ?? g.patternId} no longer holds: ${g.text}`),
  ];
}
