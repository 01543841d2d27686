// Credit assignment: every run in the replay buffer whose prompt carried a heuristic credits it
// with the run's reward, Q ← Q + α·(reward − Q), replayed oldest first from the initial Q. A
// heuristic no run in the buffer used keeps the value it has. Beside the Q-value it stores the
// counts a team acts on: runs, mean reward with a 95% interval, and the same signatures' runs
// without it. With enough runs and a Q-value below the threshold it retires.
import type { Database } from "../db/database.js";
import type { Heuristic, HeuristicEvidence } from "../domain/heuristic.js";
import { listHeuristics, saveValues, type ValueUpdate } from "./heuristic-store.js";
import { readReplayBuffer, type Experience } from "./replay-buffer.js";

export interface ValueSettings {
  learningRate: number;
  initialQ: number;
  minUses: number;
  retireBelow: number;
}

export interface ValueOutcome {
  updated: number;
  retired: { id: string; text: string; qValue: number; uses: number }[];
}

/** Mean and normal-approximation 95% interval of rewards in [0, 1] (null below 2 runs). */
function meanInterval(rewards: number[]): { mean: number | null; ci: [number, number] | null } {
  const n = rewards.length;
  if (n === 0) return { mean: null, ci: null };
  const mean = rewards.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci: null };
  const sd = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
  const half = (1.96 * sd) / Math.sqrt(n);
  return { mean, ci: [Math.max(0, mean - half), Math.min(1, mean + half)] };
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e4) / 1e4);

/** Replays the buffer into the Q-values of `heuristics`; pure (see the module comment). */
export function replayValues(heuristics: readonly Heuristic[], buffer: readonly Experience[], settings: ValueSettings): ValueUpdate[] {
  const updates: ValueUpdate[] = [];
  for (const h of heuristics) {
    const used = buffer.filter((e) => e.heuristicIds.includes(h.id));
    if (used.length === 0) continue;
    let q = settings.initialQ;
    for (const e of used) q += settings.learningRate * (e.reward - q);
    const signatures = new Set(used.map((e) => e.signature));
    const without = buffer.filter((e) => signatures.has(e.signature) && !e.heuristicIds.includes(h.id));
    const withStats = meanInterval(used.map((e) => e.reward));
    const withoutStats = meanInterval(without.map((e) => e.reward));
    const retire = h.status === "active" && used.length >= settings.minUses && q < settings.retireBelow;
    const evidence: HeuristicEvidence = {
      uses: used.length,
      meanReward: round(withStats.mean),
      ci: withStats.ci ? [round(withStats.ci[0])!, round(withStats.ci[1])!] : null,
      baselineRuns: without.length,
      baselineReward: round(withoutStats.mean),
      difference: withStats.mean !== null && withoutStats.mean !== null ? round(withStats.mean - withoutStats.mean) : null,
      ...(retire ? { retiredBecause: `Q ${q.toFixed(3)} < ${settings.retireBelow} after ${used.length} runs (mean reward ${withStats.mean!.toFixed(3)})` } : h.evidence.retiredBecause ? { retiredBecause: h.evidence.retiredBecause } : {}),
    };
    updates.push({ id: h.id, qValue: round(q)!, uses: used.length, rewardSum: used.reduce((a, e) => a + e.reward, 0), evidence, retire });
  }
  return updates;
}

/** Replays the tenant's buffer into its heuristics' values and retires the ones that earn too little. */
export async function updateHeuristicValues(db: Pick<Database, "forTenant">, tenant: string, settings: ValueSettings): Promise<ValueOutcome> {
  const [heuristics, buffer] = await Promise.all([listHeuristics(db, tenant), readReplayBuffer(db, tenant)]);
  const updates = replayValues(heuristics, buffer, settings);
  await saveValues(db, tenant, updates);
  const byId = new Map(heuristics.map((h) => [h.id, h]));
  return { updated: updates.length, retired: updates.filter((u) => u.retire).map((u) => ({ id: u.id, text: byId.get(u.id)!.text, qValue: u.qValue, uses: u.uses })) };
}
