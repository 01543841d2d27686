import { describe, expect, it } from "vitest";
import type { Heuristic } from "../domain/heuristic.js";
import { withHeuristics } from "./with-heuristics.js";

const h = (id: string, text: string): Heuristic => ({
  id,
  key: text.toLowerCase(),
  text,
  sourceKind: "pattern",
  source: { agent: "diagnosis", patternKey: "failure_pattern:x", confidence: 0.9 },
  scope: { agents: ["diagnosis"], tasks: ["t"], tools: [] },
  qValue: 0.7,
  uses: 4,
  status: "active",
  evidence: {},
  createdAt: "",
  updatedAt: "",
  retiredAt: null,
});

describe("withHeuristics", () => {
  it("appends applicable heuristics once, tags a guideline that says the same, and drops ones that no longer apply", () => {
    const a = { heuristic: h("h-a", "Check memory limits first."), match: "same task t" };
    const b = { heuristic: h("h-b", "Read the events."), match: "learnt on diagnosis" };
    const out = withHeuristics(
      {
        guidelines: [
          { text: "Hand-written rule." },
          { text: "check memory LIMITS first.", patternId: "p1" },
          { text: "Retired lesson.", heuristicId: "h-gone" },
        ],
      },
      [a, b],
    );
    expect(out.guidelines).toEqual([
      { text: "Hand-written rule." },
      { text: "check memory LIMITS first.", patternId: "p1", heuristicId: "h-a", learnedFrom: "agent diagnosis, finding failure_pattern:x (confidence 0.90); same task t" },
      { text: "Read the events.", heuristicId: "h-b", learnedFrom: "agent diagnosis, finding failure_pattern:x (confidence 0.90); learnt on diagnosis" },
    ]);
    // Applying again changes nothing (a recompile does not churn guidelines).
    expect(withHeuristics(out, [a, b]).guidelines).toEqual(out.guidelines);
  });
});
