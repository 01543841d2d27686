// Which heuristics of the library apply to a signature: the active ones learnt on its agent, or
// about the same kind of task (a task key its runs share) or the same tools. The compiler adds
// the best of them (highest Q-value) to the signature's guidelines.
import { profileRuns } from "../collector/query/run-outcomes.js";
import type { Database } from "../db/database.js";
import type { Heuristic } from "../domain/heuristic.js";
import { listHeuristics } from "./heuristic-store.js";

export interface AppliedHeuristic {
  heuristic: Heuristic;
  /** Why it applies: "learnt on X", "same task K", "shared tool T". */
  match: string;
}

/** Active heuristics whose scope meets `who`'s runs, highest Q-value first, at most `max`. */
export async function selectHeuristics(db: Pick<Database, "forTenant">, tenant: string, who: { agent: string; signature: string }, max: number): Promise<AppliedHeuristic[]> {
  if (max === 0) return [];
  const active = await listHeuristics(db, tenant, { status: "active" });
  if (active.length === 0) return [];
  const profile = await profileRuns(db.forTenant(tenant).pool, tenant, who);
  const out: AppliedHeuristic[] = [];
  for (const h of active) {
    const self = h.scope.agents.find((a) => a === who.agent || a === who.signature);
    const task = h.scope.tasks.find((t) => profile.tasks.includes(t));
    const tool = h.scope.tools.find((t) => profile.tools.includes(t));
    const match = self ? `learnt on ${self}` : task ? `same task ${task}` : tool ? `shared tool ${tool}` : undefined;
    if (match) out.push({ heuristic: h, match });
  }
  return out.slice(0, max);
}

/** The provenance line a guideline drawn from `a` carries. */
export function learnedFrom(a: AppliedHeuristic): string {
  const h = a.heuristic;
  const source = h.sourceKind === "pattern" ? `finding ${h.source.patternKey ?? h.source.patternId}${h.source.confidence !== undefined ? ` (confidence ${h.source.confidence.toFixed(2)})` : ""}` : `reflection on ${h.source.traceIds?.join(", ") ?? "failed runs"}`;
  // No Q-value here: it moves with every run, and a guideline that changes by itself would make
  // every compile a new candidate. `meta-agent heuristics` shows the current one.
  return `agent ${h.source.agent}, ${source}; ${a.match}`;
}
