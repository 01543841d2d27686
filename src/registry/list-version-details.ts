// The versions of a signature as a dashboard shows them: each with its score and interval, and
// what it added over its parent (guidelines with the patterns they came from, demos with their
// traces). Read from the mirror, like the history.
import { parseCompiledVersion, type Demo, type Guideline } from "../domain/compiled-version.js";
import type { RegistryDeps } from "./registry-deps.js";
import { listHistory, type HistoryEntry } from "./list-history.js";
import { mirrorRows } from "./list-history.js";

export interface VersionDetail extends HistoryEntry {
  /** Evaluation of this version on the dev set, when it was evaluated. */
  evaluation: { metric: string; devSetSize: number; score: { mean: number; ci: [number, number] } | null; parentScore: { mean: number; ci: [number, number] } | null } | null;
  optimizer: string;
  /** Guidelines present here and not in the parent (all of them for a first version). */
  addedGuidelines: Guideline[];
  /** Guidelines of the parent that this version no longer has. */
  removedGuidelines: Guideline[];
  /** Demos present here and not in the parent. */
  addedDemos: Demo[];
  guidelineCount: number;
  demoCount: number;
}

const demoKey = (d: Demo) => d.traceId ?? JSON.stringify([d.input, d.output]);

/** Every version of `name` for `tenant`, oldest first, with its evaluation and what it added. */
export async function listVersionDetails(deps: RegistryDeps, input: { tenant: string; name: string }): Promise<VersionDetail[]> {
  const history = await listHistory(deps, input);
  const rows = await mirrorRows(deps, input.tenant, input.name);
  const parsed = new Map(rows.map((r) => [r.version, parseCompiledVersion(r.content, `${input.name}@${r.version}`)]));
  return history.map((entry) => {
    const v = parsed.get(entry.version)!;
    const parent = entry.parent ? parsed.get(entry.parent) : undefined;
    const parentGuidelines = new Set((parent?.guidelines ?? []).map((g) => g.text));
    const ownGuidelines = new Set(v.guidelines.map((g) => g.text));
    const parentDemos = new Set((parent?.demos ?? []).map(demoKey));
    return {
      ...entry,
      evaluation: v.evaluation,
      optimizer: v.provenance.optimizer,
      addedGuidelines: v.guidelines.filter((g) => !parentGuidelines.has(g.text)),
      removedGuidelines: (parent?.guidelines ?? []).filter((g) => !ownGuidelines.has(g.text)),
      addedDemos: v.demos.filter((d) => !parentDemos.has(demoKey(d))),
      guidelineCount: v.guidelines.length,
      demoCount: v.demos.length,
    };
  });
}
