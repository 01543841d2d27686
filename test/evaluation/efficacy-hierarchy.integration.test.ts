// Seed 000's experiment in `npm run efficacy` (bench/efficacy/run-hierarchy.ts), on the simulator:
// the hierarchical task runner and the flat call run the same tasks on the same token budget, both
// stay within it, and the report's numbers agree with each other.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HierarchyReport } from "../../bench/efficacy/run-hierarchy.js";
import { wilsonInterval } from "../../src/analyzer/statistics/wilson-interval.js";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function runExperiment(items: number, budget: number): { text: string; report: HierarchyReport } {
  const tmp = makeTempDir("meta-agent-efficacy-hier-");
  try {
    const out = path.join(tmp.dir, "efficacy.json");
    const text = execFileSync(
      process.execPath,
      ["--import", "tsx", "bench/efficacy/run-efficacy.ts", "--hierarchy-only", "--hierarchy-items", String(items), "--budget", String(budget), "--out", out],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, LLM_BASE_URL: "", LLM_MODEL: "" } },
    );
    const json = JSON.parse(readFileSync(out, "utf8")) as { families: unknown[]; hierarchy: HierarchyReport };
    expect(json.families).toEqual([]);
    return { text, report: json.hierarchy };
  } finally {
    tmp.remove();
  }
}

function expectConsistent(report: HierarchyReport, items: number, budget: number): void {
  expect(report.budgetTokens).toBe(budget);
  expect(report.arms.map((a) => a.arm)).toEqual(["hierarchical", "flat"]);
  for (const a of report.arms) {
    expect(a.tasks).toBe(items);
    expect(Number.isInteger(a.successes) && a.successes >= 0 && a.successes <= items).toBe(true);
    expect(a.success.rate).toBeCloseTo(a.successes / items, 10);
    const { low, high } = wilsonInterval(a.successes, items);
    expect(a.success.ci[0]).toBeCloseTo(low, 10);
    expect(a.success.ci[1]).toBeCloseTo(high, 10);
    expect(a.success.ci[0]).toBeLessThanOrEqual(a.success.rate);
    expect(a.success.ci[1]).toBeGreaterThanOrEqual(a.success.rate);
    // Within the budget: no task of either arm spent more than it was given.
    expect(a.tokensPerTask).toBeGreaterThan(0);
    expect(a.maxTokensPerTask).toBeLessThanOrEqual(budget);
    expect(a.tokensPerTask).toBeLessThanOrEqual(a.maxTokensPerTask);
    expect(a.qualityPer1kTokens).toBeCloseTo((1000 * a.successes) / (a.tokensPerTask * a.tasks), 6);
  }
  const [h, f] = report.arms;
  // Several calls (analyst, two workers, synthesis) cost more than one.
  expect(h.tokensPerTask).toBeGreaterThan(f.tokensPerTask);
  expect(report.difference.meanDiff).toBeCloseTo((h.successes - f.successes) / items, 3);
  expect(report.difference.ci[0]).toBeLessThanOrEqual(report.difference.meanDiff);
  expect(report.difference.ci[1]).toBeGreaterThanOrEqual(report.difference.meanDiff);
}

describe("npm run efficacy: hierarchical vs flat on the same token budget", () => {
  it("runs both arms over the same tasks within the budget and reports success, tokens and quality per 1,000 tokens consistently", () => {
    const { text, report } = runExperiment(16, 3000);
    expectConsistent(report, 16, 3000);
    expect(report.arms[0].budgetInterrupted).toBe(0);
    expect(text).toContain("Hierarchical (analyst → workers → synthesis) vs flat");
    expect(text).toContain("quality per 1,000 tokens");
    expect(text).toMatch(/hierarchical\s+\d+\/16/);
    expect(text).toContain("not a real model's effect");
  }, 180_000);

  it("a budget too small for the whole plan interrupts the hierarchy and still keeps every task within it", () => {
    const { report } = runExperiment(8, 1400);
    expectConsistent(report, 8, 1400);
    expect(report.arms[0].budgetInterrupted).toBeGreaterThan(0);
  }, 180_000);
});
