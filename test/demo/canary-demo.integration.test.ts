// `npm run demo -- --canary` end to end (in-process): a worse candidate rolled back and a compiled
// one promoted by their canaries, each decision a commit with its evidence.
import { describe, it, expect, afterAll } from "vitest";
import { runCanaryDemo } from "../../src/demo/run-canary-demo.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("the canary demo", () => {
  const tmp = makeTempDir("meta-agent-canary-demo-test-");
  afterAll(() => tmp.remove());

  it("shows an automatic rollback and an automatic promotion with their commits", async () => {
    const lines: string[] = [];
    const result = await runCanaryDemo({ dir: tmp.dir, print: (l) => lines.push(l) });
    expect(result.rolledBack).toMatchObject({ status: "rolled_back", candidateVersion: "1.0.1", incumbentVersion: "1.0.0" });
    expect(result.rolledBack.decision!.rule).toBe("sequential_test");
    expect(result.promoted, result.promoted.decision?.reason).toMatchObject({ status: "promoted", incumbentVersion: "1.0.0" });
    expect(result.decisions).toHaveLength(2);
    expect(result.decisions[0]).toContain("Canary promoted");
    expect(result.decisions[1]).toContain("Canary rolled back");
    expect(lines.join("\n")).toContain("served to everyone");
  }, 180_000);
});
