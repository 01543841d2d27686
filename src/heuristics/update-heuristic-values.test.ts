import { describe, expect, it } from "vitest";
import type { Heuristic } from "../domain/heuristic.js";
import type { Experience } from "./replay-buffer.js";
import { replayValues } from "./update-heuristic-values.js";

const heuristic = (id: string, over: Partial<Heuristic> = {}): Heuristic => ({
  id,
  key: id,
  text: id,
  sourceKind: "pattern",
  source: { agent: "a" },
  scope: { agents: ["a"], tasks: [], tools: [] },
  qValue: 0.5,
  uses: 0,
  status: "active",
  evidence: {},
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  retiredAt: null,
  ...over,
});
let seq = 0n;
const run = (signature: string, heuristicIds: string[], reward: number): Experience => ({ traceId: `t${++seq}`, seq, agent: signature, signature, version: "1.0.0", task: null, heuristicIds, reward });
const settings = { learningRate: 0.5, initialQ: 0.5, minUses: 3, retireBelow: 0.3 };

describe("replayValues", () => {
  it("credits every heuristic a run carried with its reward, oldest run first", () => {
    const [u] = replayValues([heuristic("h1")], [run("s", ["h1"], 1), run("s", ["h1", "h2"], 0), run("s", ["h1"], 1)], settings);
    // 0.5 → 0.75 → 0.375 → 0.6875
    expect(u).toMatchObject({ id: "h1", qValue: 0.6875, uses: 3, rewardSum: 2, retire: false });
  });

  it("compares with the same signatures' runs without the heuristic, and ignores other signatures", () => {
    const [u] = replayValues([heuristic("h1")], [run("s", ["h1"], 1), run("s", ["h1"], 0), run("s", [], 0), run("s", [], 0), run("other", [], 1)], settings);
    expect(u!.evidence).toMatchObject({ uses: 2, meanReward: 0.5, baselineRuns: 2, baselineReward: 0, difference: 0.5 });
    expect(u!.evidence.ci![0]).toBe(0);
    expect(u!.evidence.ci![1]).toBe(1);
  });

  it("retires an active heuristic only with enough runs and a Q-value below the threshold", () => {
    const failing = [run("s", ["h1"], 0), run("s", ["h1"], 0)];
    expect(replayValues([heuristic("h1")], failing, settings)[0]!.retire).toBe(false); // 2 < minUses
    const more = [...failing, run("s", ["h1"], 0)];
    const [u] = replayValues([heuristic("h1")], more, settings);
    expect(u).toMatchObject({ retire: true, qValue: 0.0625 });
    expect(u!.evidence.retiredBecause).toBe("Q 0.063 < 0.3 after 3 runs (mean reward 0.000)");
    expect(replayValues([heuristic("h1", { status: "retired" })], more, settings)[0]!.retire).toBe(false);
  });

  it("leaves a heuristic no run used as it is", () => {
    expect(replayValues([heuristic("h1", { qValue: 0.9 })], [run("s", ["h2"], 1)], settings)).toEqual([]);
  });
});
