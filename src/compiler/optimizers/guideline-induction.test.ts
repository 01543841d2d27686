import { describe, expect, it } from "vitest";
import { induceGuidelines, type GuidelineSource } from "./guideline-induction.js";

/** A pattern as induction reads it; `evidence` becomes the analyzer's evidence summary. */
const pattern = ({ evidence, ...over }: Partial<GuidelineSource> & { evidence?: string }): GuidelineSource => ({
  id: "p", key: "k", recommendations: [], confidence: 0.9, actionable: true, impliedBy: null, stats: evidence === undefined ? {} : { evidenceSummary: evidence }, ...over,
});

describe("guideline induction", () => {
  it("turns actionable patterns above the threshold into guidelines with their pattern id and confidence", () => {
    const { guidelines, added } = induceGuidelines(
      [],
      [
        pattern({ id: "p1", key: "b", recommendations: ["Call get_pods before get_logs."], confidence: 0.91234 }),
        pattern({ id: "p2", key: "a", recommendations: ["Check events first."], confidence: 0.65 }),
        pattern({ id: "p3", key: "c", recommendations: ["Never restart blindly."], actionable: false }),
      ],
      0.7,
    );
    expect(guidelines).toEqual([{ text: "Call get_pods before get_logs.", patternId: "p1", patternKey: "b", confidence: 0.912 }]);
    expect(added).toEqual(guidelines);
  });

  it("takes only findings that held within strata, never one implied by a stronger finding, and carries the evidence", () => {
    const { guidelines } = induceGuidelines(
      [],
      [
        pattern({ id: "p1", key: "failure_pattern:tool_error:pay", recommendations: ["Before calling pay, rule out its most common failure."], evidence: "direct: pay fails in 35% of its calls; 'payment method <v> not found' 70/100" }),
        pattern({ id: "p2", key: "failure_pattern:ngram:get_user>pay", recommendations: ["After get_user, check its result before calling pay."], actionable: false, impliedBy: "failure_pattern:tool_error:pay" }),
      ],
      0.7,
    );
    expect(guidelines).toEqual([{ text: "Before calling pay, rule out its most common failure.", patternId: "p1", patternKey: "failure_pattern:tool_error:pay", confidence: 0.9, evidence: "direct: pay fails in 35% of its calls; 'payment method <v> not found' 70/100" }]);
  });

  it("drops guidelines whose pattern no longer holds, keeps hand-written ones and refreshes the rest", () => {
    const current = [
      { text: "Be brief." },
      { text: "Old advice.", patternId: "old", patternKey: "gone", confidence: 0.8 },
      { text: "Call get_pods before get_logs.", patternId: "p0", patternKey: "b", confidence: 0.75 },
    ];
    const { guidelines, dropped, added } = induceGuidelines(current, [pattern({ id: "p1", key: "b", recommendations: ["Call get_pods before get_logs."], confidence: 0.95 })], 0.7);
    expect(guidelines).toEqual([{ text: "Be brief." }, { text: "Call get_pods before get_logs.", patternId: "p1", patternKey: "b", confidence: 0.95 }]);
    expect(dropped.map((g) => g.text)).toEqual(["Old advice."]);
    expect(added).toEqual([]);
  });

  it("leaves direct findings about a declared tool to the tool's description, and does not call them dropped", () => {
    const errors = pattern({ id: "p1", key: "failure_pattern:tool_error:run_program", recommendations: ["Validate the arguments of run_program before calling it."] });
    const last = pattern({ id: "p2", key: "failure_pattern:last_tool:run_program", recommendations: ["Do not finish right after run_program."] });
    const current = [{ text: "Validate the arguments of run_program before calling it.", patternId: "p0", patternKey: "failure_pattern:tool_error:run_program" }];
    const { guidelines, dropped } = induceGuidelines(current, [errors, last], 0.7, new Set(["run_program"]));
    expect(guidelines.map((g) => g.text)).toEqual(["Do not finish right after run_program."]);
    expect(dropped).toEqual([]);
    // Without the tool declared, the same finding is a guideline of the prompt.
    expect(induceGuidelines([], [errors], 0.7).guidelines.map((g) => g.text)).toEqual(["Validate the arguments of run_program before calling it."]);
  });
});
