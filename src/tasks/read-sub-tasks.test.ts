import { describe, expect, it } from "vitest";
import { readSubTasks } from "./read-sub-tasks.js";

describe("readSubTasks", () => {
  it("groups sub-tasks into ascending waves and keeps only dependencies on earlier waves", () => {
    const waves = readSubTasks(
      {
        subTasks: [
          { id: "c", description: "combine", wave: 2, kind: "reason", dependsOn: ["a", "b", "ghost"] },
          { id: "a", description: "first", wave: 1, kind: "reason" },
          { id: "b", description: "second", wave: 1, kind: "compute", dependsOn: ["a"] },
        ],
      },
      10,
    );
    expect(waves.map((w) => w.map((t) => t.id))).toEqual([["a", "b"], ["c"]]);
    expect(waves[0]![1]!.dependsOn).toEqual([]);
    expect(waves[1]![0]!.dependsOn).toEqual(["a", "b"]);
  });

  it("caps the number of sub-tasks and renames duplicate ids", () => {
    const waves = readSubTasks({ subTasks: [{ id: "x", description: "one" }, { id: "x", description: "two" }, { description: "three" }] }, 2);
    expect(waves.flat().map((t) => t.id)).toEqual(["x", "x'"]);
  });

  it("keeps the known kinds that route a sub-task and treats unknown or missing kinds as reasoning", () => {
    const plan = { subTasks: [{ description: "a", kind: "Compute" }, { description: "b", kind: "research" }, { description: "c", kind: "translate" }, { description: "d" }] };
    expect(readSubTasks(plan, 10).flat().map((t) => t.kind)).toEqual(["compute", "research", "reason", "reason"]);
  });

  it("returns no waves when the plan is not a list", () => {
    expect(readSubTasks({ subTasks: "do it all" }, 5)).toEqual([]);
  });
});
