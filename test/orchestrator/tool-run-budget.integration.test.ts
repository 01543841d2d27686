// A tool run charged to a task's token budget: every round reserves its tokens before it starts, so
// the loop stops at the budget, and what it spent is what the budget records.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompiledVersion } from "../support/compiled-versions.js";
import { startOrchestratorFixture, storedTraces, type OrchestratorFixture } from "../support/orchestrator.js";
import { createTokenBudget } from "../../src/tasks/token-budget.js";

const calculator = buildCompiledVersion({
  name: "calculator",
  description: "Computes exact answers.",
  instructions: "Run a program for every computation.",
  tools: [{ name: "run_program", description: "Runs a JavaScript program and returns what it printed.", parameters: { type: "object", properties: {} } }],
});

describe("tool runs within a token budget", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({
      bank: { families: [{ id: "loop", match: { system: "exact answers", keywords: ["sum"] }, toolCalls: [{ name: "run_program", arguments: { code: "console.log(2 + 2)" } }], toolRounds: 3, answer: { answer: "4" }, baseAccuracy: 1 }] },
      versions: [calculator],
      env: { ORCHESTRATOR_TOOL_MAX_ROUNDS: "10" },
    });
  });
  afterAll(async () => fx?.close());

  it("charges every round to the budget: the budget's use is the run's tokens", async () => {
    const budget = createTokenBudget(100_000);
    const run = await fx.orchestrator.runSignature("calculator", { question: "the sum of 2 and 2" }, { budget });
    expect(run.calls).toBe(4);
    expect(budget.used).toBe(run.usage.totalTokens);
  });

  it("refuses the round that would exceed the budget, after the rounds it could afford, and records the stopped run", async () => {
    // Enough for the first call and one more round, not for the growing conversation after it.
    const probe = createTokenBudget(100_000);
    const full = await fx.orchestrator.runSignature("calculator", { question: "the sum of 3 and 3" }, { budget: probe });
    const perCall = full.usage.totalTokens / full.calls;
    const budget = createTokenBudget(Math.round(perCall * 2 + 2 * 256), { synthesisReserve: 0 });
    await expect(fx.orchestrator.runSignature("calculator", { question: "the sum of 4 and 4" }, { budget, traceId: "over-budget" })).rejects.toMatchObject({ code: "budget_exceeded" });
    expect(budget.used).toBeLessThanOrEqual(budget.total);
    await fx.orchestrator.recorder.flush();
    const trace = (await storedTraces(fx.tdb)).find((t) => t.id === "over-budget")!;
    expect(trace).toMatchObject({ success: false, metadata: { error: { code: "budget_exceeded" } } });
    expect(trace.prompt_tokens + trace.completion_tokens).toBe(budget.used);
    expect(trace.step_count).toBeGreaterThanOrEqual(2);
  });
});
