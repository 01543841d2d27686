// The loop for service tools, end to end on real parts (test/support/tool-learning-service.ts):
// the HTTP service runs a signature whose run_program fails for one kind of input (the simulated
// model calls a helper the sandbox does not have), callers record outcomes, one learning cycle
// over HTTP learns the failure into run_program's description, scores it with the service's
// tools and commits it, and the next run's model receives the learned text and stops failing.
// Here run_program has a second tool beside it: its own errors are compared with search_library's calls.
import { expect } from "vitest";
import { describeToolLearningLoop } from "../support/tool-learning-service.js";

// Trace ids are the service's (random), so the dev split is too: half of the runs are
// percentages, which puts at least 4 of them among the 20 dev examples — enough for the gate —
// except with a chance of about 1 in 100 000 (hypergeometric: 40 runs, 20 failing, 20 drawn).
const traffic = { percent: 20, sum: 8, lookup: 12 };

describeToolLearningLoop("a service tool's failure learned into its description, end to end (beside a second tool)", {
  withLibrary: true,
  traffic,
  devSetSize: 20,
  expectComparison: (comparison) => expect(comparison).toEqual({ against: "other_tools", calls: traffic.lookup, errors: 0 }),
});
