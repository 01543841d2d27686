import { describe, it, expect } from "vitest";
import { pullRequestText } from "./pull-request-text.js";
import { patternsOf } from "./applied-patterns.js";
import { buildCompiledVersion } from "../../test/support/compiled-versions.js";

describe("pullRequestText", () => {
  it("shows each applied guideline with the evidence it rests on (adjusted effect, or why a tool fails)", () => {
    const version = buildCompiledVersion({
      name: "support",
      guidelines: [
        { text: "Be brief." },
        { text: "Before calling pay, rule out its most common failure, \"payment method <v> not found\" (70 of its 100 failed calls).", patternId: "p1", patternKey: "failure_pattern:tool_error:pay", confidence: 1, evidence: "direct: pay fails in 35% of its calls (100/286, 95% CI 30–41%, p 1e-40); 'payment method <v> not found' 70/100, 'card declined: code 51' 30/100" },
        { text: "Prefer confirm_booking when it applies: within the same task, runs that use it succeed 15 pts more.", patternId: "p2", patternKey: "tool_effectiveness:tool:confirm_booking", confidence: 0.99, evidence: "association within task and run length: +15 pts [+9, +21 pts], CMH p 2e-6, 12 of 14 strata; crude +4 pts" },
      ],
    });
    const text = pullRequestText({ version, tenant: "default", summary: "two guidelines", branch: "meta-agent/support-1.1.0", servingBranch: "main", diff: "", patterns: patternsOf(version) });
    expect(text).toContain("| Pattern | Confidence | Guideline | Evidence | Example traces |");
    expect(text).toContain("'payment method <v> not found' 70/100, 'card declined: code 51' 30/100");
    expect(text).toContain("association within task and run length: +15 pts [+9, +21 pts], CMH p 2e-6, 12 of 14 strata; crude +4 pts");
    // A hand-written guideline is no pattern: not in the table, and its change says no finding is behind it.
    expect(text).not.toMatch(/\| Be brief\. \|/);
    expect(text).toContain('- **Guideline added**: "Be brief.". Reason: no finding behind it');
  });

  const parent = buildCompiledVersion({ name: "support", version: "1.0.0", instructions: "Read the ticket and pick the next action carefully.", provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 } });
  const rewrite = buildCompiledVersion({
    name: "support",
    version: "1.1.0",
    parent: "1.0.0",
    instructions: "Pick refund for double charges.",
    demos: [
      { input: { question: "charged twice" }, output: { answer: "refund" }, traceId: "trace-77" },
      { input: { question: "where is my parcel" }, output: { answer: "track_order" }, traceId: "trace-78", corrected: true },
    ],
    evaluation: { metric: "exact_match", devSetSize: 20, parentScore: { mean: 0.5, ci: [0.3, 0.7] }, score: { mean: 1, ci: [0.839, 1] } },
    provenance: { optimizer: "reflective_instructions", llmCalls: 9, tokens: 900 },
  });
  const flips = {
    fixed: [{ traceId: "trace-1", input: '{"question":"charged twice for A-1"}', before: 0, after: 1 }],
    broken: [{ traceId: "trace-2", input: '{"question":"reset my password"}', before: 1, after: 0 }],
  };
  const text = pullRequestText({
    version: rewrite,
    parent,
    tenant: "default",
    summary: "reflective_instructions, dev score 0.500 → 1.000\n\nmean gain +50.0 pts with 95% lower bound +30.0 pts\nrewrote the instructions from 10 failures",
    branch: "meta-agent/support-v1.1.0",
    servingBranch: "main",
    diff: "-instructions: Read the ticket\n+instructions: Pick refund",
    patterns: [],
    flips,
  });

  it("has one headline: the summary line is not repeated under it", () => {
    expect(text.split("\n")[0]).toBe("# meta-agent: support 1.1.0 — reflective_instructions, dev score 0.500 → 1.000");
    expect(text.match(/reflective_instructions, dev score 0\.500 → 1\.000/g)).toHaveLength(1);
    expect(text).toContain("mean gain +50.0 pts with 95% lower bound +30.0 pts");
  });

  it("warns loudly when hand-written instructions are rewritten, and gives each change its reason", () => {
    expect(text).toContain("> [!WARNING]");
    expect(text).toContain("**Instructions rewritten.** This version replaces the hand-written instructions of 1.0.0");
    expect(text).toContain("- **Instructions rewritten** (see the warning above). Reason: mean gain +50.0 pts");
    expect(text).toContain("rewrote the instructions from 10 failures");
    expect(text).toContain('- **Demo added**: {"question":"charged twice"} → {"answer":"refund"}. Reason: a successful run, trace `trace-77`');
    expect(text).toContain('- **Demo added**: {"question":"where is my parcel"} → {"answer":"track_order"}. Reason: a corrected run (the output is the correction, not the run\'s answer), trace `trace-78`');
    expect(text).toContain("None: no guideline of this version comes from a finding of the analyzer.");
  });

  it("lists the dev cases that flipped, both ways, and shows honest intervals", () => {
    expect(text).toContain("**Fixed (failed before, pass now)** (1):");
    expect(text).toContain('| `trace-1` | {"question":"charged twice for A-1"} | 0.00 | 1.00 |');
    expect(text).toContain("**Broken (passed before, fail now)** (1):");
    expect(text).toContain('| `trace-2` | {"question":"reset my password"} | 1.00 | 0.00 |');
    expect(text).toContain("| Dev-set score after | 1.000 (95% CI 0.839–1.000) |");
  });

  it("says nothing was rewritten when only guidelines change", () => {
    const guided = buildCompiledVersion({ ...parent, version: "1.1.0", parent: "1.0.0", guidelines: [{ text: "Check the order first.", patternKey: "success_pattern:tool:lookup_order", confidence: 0.9, evidence: "+20 pts within task" }] });
    const t = pullRequestText({ version: guided, parent, tenant: "default", summary: "guidelines", branch: "b", servingBranch: "main", diff: "", patterns: patternsOf(guided), flips: { fixed: [], broken: [] } });
    expect(t).not.toContain("[!WARNING]");
    expect(t).toContain('- **Guideline added**: "Check the order first.". Reason: finding `success_pattern:tool:lookup_order` (confidence 0.90): +20 pts within task.');
    expect(t).toContain("**Fixed (failed before, pass now)**: none.");
  });
});
