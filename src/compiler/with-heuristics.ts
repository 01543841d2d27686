// Adds the shared library's applicable heuristics to a proposal's guidelines: each once, after
// the guidelines the optimizer chose, with where it was learnt. Guidelines drawn from heuristics
// that no longer apply (retired, or out of scope) are dropped; a heuristic whose text is already
// a guideline is not repeated.
import type { Guideline } from "../domain/compiled-version.js";
import { heuristicKey } from "../domain/heuristic.js";
import { learnedFrom, type AppliedHeuristic } from "../heuristics/select-heuristics.js";
import type { Candidate } from "./optimizers/optimizer.js";

export function withHeuristics<T extends Pick<Candidate, "guidelines">>(proposal: T, applied: readonly AppliedHeuristic[]): T {
  const ids = new Set(applied.map((a) => a.heuristic.id));
  const byText = new Map(applied.map((a) => [heuristicKey(a.heuristic.text), a]));
  // A guideline that says what a heuristic says (e.g. the finding it was distilled from) is tagged
  // with it, so runs of this signature credit the heuristic too.
  const kept = proposal.guidelines
    .filter((g) => !g.heuristicId || ids.has(g.heuristicId))
    .map((g): Guideline => {
      const a = g.heuristicId ? undefined : byText.get(heuristicKey(g.text));
      return a ? { ...g, heuristicId: a.heuristic.id, learnedFrom: learnedFrom(a) } : g;
    });
  const texts = new Set(kept.map((g) => heuristicKey(g.text)));
  const present = new Set(kept.flatMap((g) => (g.heuristicId ? [g.heuristicId] : [])));
  const added: Guideline[] = applied
    .filter((a) => !present.has(a.heuristic.id) && !texts.has(heuristicKey(a.heuristic.text)))
    .map((a) => ({ text: a.heuristic.text, heuristicId: a.heuristic.id, learnedFrom: learnedFrom(a) }));
  return { ...proposal, guidelines: [...kept, ...added] };
}
