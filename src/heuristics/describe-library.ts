// What `meta-agent heuristics` and GET /v1/heuristics show: every heuristic with its Q-value, the
// evidence behind it, its source and where it is used (the served versions whose guidelines
// carry it), and the team learning report.
import type { Database } from "../db/database.js";
import { parseCompiledVersion } from "../domain/compiled-version.js";
import type { Heuristic } from "../domain/heuristic.js";
import { currentOf } from "../registry/list-history.js";
import { listMirror, listMirroredNames } from "../registry/version-mirror.js";
import { listHeuristics } from "./heuristic-store.js";
import { readReplayBuffer } from "./replay-buffer.js";

export interface LibraryEntry extends Heuristic {
  /** Served versions whose guidelines carry it. */
  usedIn: { signature: string; version: string }[];
}

export interface LibraryView {
  heuristics: LibraryEntry[];
  replay: { size: number; capacity: number; agents: string[] };
}

/** The library of `tenant`; `status` filters. */
export async function describeLibrary(db: Pick<Database, "forTenant">, tenant: string, options: { capacity: number; status?: "active" | "retired" }): Promise<LibraryView> {
  const [heuristics, buffer, names] = await Promise.all([
    listHeuristics(db, tenant, options.status ? { status: options.status } : {}),
    readReplayBuffer(db, tenant),
    listMirroredNames(db, tenant),
  ]);
  const usedIn = new Map<string, { signature: string; version: string }[]>();
  for (const name of names) {
    const served = currentOf(await listMirror(db, tenant, name));
    if (!served) continue;
    let ids: string[] = [];
    try {
      ids = parseCompiledVersion(served.content).guidelines.flatMap((g) => (g.heuristicId ? [g.heuristicId] : []));
    } catch {
      continue;
    }
    for (const id of ids) usedIn.set(id, [...(usedIn.get(id) ?? []), { signature: name, version: served.version }]);
  }
  return {
    heuristics: heuristics.map((h) => ({ ...h, usedIn: usedIn.get(h.id) ?? [] })),
    replay: { size: buffer.length, capacity: options.capacity, agents: [...new Set(buffer.map((e) => e.agent))].sort() },
  };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "–" : x.toFixed(2));

/** The team learning report: what the agents learnt together, and from whom. */
export function teamLearningReport(view: LibraryView): string {
  const active = view.heuristics.filter((h) => h.status === "active");
  const retired = view.heuristics.filter((h) => h.status === "retired");
  const agents = [...new Set([...view.replay.agents, ...view.heuristics.flatMap((h) => h.scope.agents)])].sort();
  const lines = ["═══ Team Learning Report ═══", "", `Agents: ${agents.join(", ") || "none yet"}`, `Shared experiences: ${view.replay.size} of ${view.replay.capacity}`, `Shared heuristics: ${active.length} active, ${retired.length} retired`];
  for (const h of view.heuristics) {
    const e = h.evidence;
    const source = h.sourceKind === "pattern" ? `finding ${h.source.patternKey ?? h.source.patternId}` : `reflection on ${(h.source.traceIds ?? []).join(", ")}`;
    lines.push("");
    lines.push(`  [${h.status}] Q=${h.qValue.toFixed(2)} (from ${h.source.agent}, ${source})`);
    lines.push(`    ${h.text}`);
    lines.push(`    applies to: agents ${h.scope.agents.join(", ") || "–"}; tasks ${h.scope.tasks.join(", ") || "–"}; tools ${h.scope.tools.join(", ") || "–"}`);
    if (e.uses) {
      lines.push(
        `    runs with it: ${e.uses}, mean reward ${pct(e.meanReward)}${e.ci ? ` [${pct(e.ci[0])}, ${pct(e.ci[1])}]` : ""}; same signatures without it: ${e.baselineRuns} runs, ${pct(e.baselineReward)}${e.difference !== null && e.difference !== undefined ? ` (difference ${e.difference >= 0 ? "+" : ""}${e.difference.toFixed(2)}, an association)` : ""}`,
      );
    } else lines.push("    not used by any run in the buffer yet");
    if (e.retiredBecause) lines.push(`    retired: ${e.retiredBecause}`);
    lines.push(`    used in: ${h.usedIn.map((u) => `${u.signature} ${u.version}`).join(", ") || "no served version"}`);
  }
  return lines.join("\n");
}
