// The loop for service tools, end to end (test/support/tool-learning-service.ts), for a signature
// whose only tool is run_program, like the shipped examples/service-tools/prompts/calculator.yaml:
// with no other tool to compare with, the analyzer compares run_program's calls for the kind of
// input where they fail (the percentage questions' intent) with its calls for the other kinds.
// In review mode: the version waits on a review branch with its pull-request text until merged.
import { expect } from "vitest";
import { describeToolLearningLoop } from "../support/tool-learning-service.js";

// Half of the runs are percentages (see tool-learning-loop.integration.test.ts for why).
const traffic = { percent: 20, sum: 20, lookup: 0 };

describeToolLearningLoop("a service tool's failure learned into its description, end to end (the signature's only tool)", {
  withLibrary: false,
  review: true,
  traffic,
  devSetSize: 20,
  expectComparison: (comparison) =>
    expect(comparison).toMatchObject({ against: "other_groups", group: { kind: "intent", calls: traffic.percent, errors: traffic.percent }, calls: traffic.sum, errors: 0, groups: 2 }),
});
