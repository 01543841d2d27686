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
    expect(text).not.toContain("Be brief.");
  });
});
