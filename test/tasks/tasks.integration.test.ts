import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BankInput } from "../../src/simulator/index.js";
import { startOrchestratorFixture, storedTraces, type OrchestratorFixture } from "../support/orchestrator.js";

// A planted quarterly-report task: the analyst plans two parallel sub-tasks and one that depends
// on both; the "costs" worker call always fails (HTTP 500) in the failing-wave scenario.
const plan = {
  subTasks: [
    { id: "rev", description: "Summarize the revenue figures", wave: 1, kind: "reason" },
    { id: "cost", description: "Summarize the cost figures", wave: 1, kind: "reason" },
    { id: "cmp", description: "Compare margin trends", wave: 2, kind: "reason", dependsOn: ["rev", "cost"] },
  ],
  rationale: "Revenue and costs are independent; the comparison needs both.",
};
const bank = (failCosts: boolean): BankInput => ({
  families: [
    { id: "plan", match: { system: "You plan work", keywords: ["quarterly"] }, answer: plan, baseAccuracy: 1 },
    { id: "compare", match: { system: "Solve only the sub-task", keywords: ["margin trends"] }, answer: { answer: "Margins improved by 3 points.", confidence: 0.8 }, baseAccuracy: 1 },
    { id: "revenue", match: { system: "Solve only the sub-task", keywords: ["revenue figures"] }, answer: { answer: "Revenue grew 12% to 4.2M.", confidence: 0.9 }, baseAccuracy: 1 },
    {
      id: "costs",
      match: { system: "Solve only the sub-task", keywords: ["cost figures"] },
      answer: { answer: "Costs fell 5% to 3.1M.", confidence: 0.9 },
      baseAccuracy: 1,
      ...(failCosts ? { fault: { mode: "http_500" as const } } : {}),
    },
    { id: "merge", match: { system: "Combine the sub-task results", keywords: ["quarterly"] }, answer: { finalAnswer: "Q3: revenue up 12%, costs down 5%, margins up 3 points.", caveats: "" }, baseAccuracy: 1 },
  ],
});

describe("hierarchical tasks", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({ bank: bank(false) });
  });
  afterAll(async () => fx?.close());

  it("decomposes, runs workers in waves and synthesizes, producing a trace tree stored under one root", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the quarterly report", totalBudgetTokens: 50_000 });
    expect(result).toMatchObject({ status: "completed", answer: "Q3: revenue up 12%, costs down 5%, margins up 3 points.", budget: { total: 50_000, interrupted: false } });
    expect(result.subTasks.map((s) => [s.id, s.status])).toEqual([["rev", "completed"], ["cost", "completed"], ["cmp", "completed"]]);
    const tree = result.traceTree!;
    expect(tree.children!.map((c) => c.role)).toEqual(["analyst", "worker", "worker", "worker", "synthesizer"]);
    expect(tree.children!.every((c) => c.version === "1.0.0" && c.traceId)).toBe(true);
    expect(result.budget.used).toBe(tree.children!.reduce((s, c) => s + c.tokens, 0));
    await fx.orchestrator.recorder.flush();
    const traces = await storedTraces(fx.tdb);
    const root = traces.find((t) => t.id === result.rootTraceId)!;
    expect(root).toMatchObject({ agent: "orchestrator", parent_trace_id: null, metadata: { taskId: result.id, budgetInterrupted: false } });
    const kids = traces.filter((t) => t.parent_trace_id === result.rootTraceId);
    expect(kids.map((k) => k.signature).sort()).toEqual(["analyst", "synthesizer", "worker", "worker", "worker"]);
    expect(kids.every((k) => k.prompt_version === "1.0.0")).toBe(true);
    // The dependent sub-task saw the results of the wave before it.
    const cmp = fx.sim.calls.find((c) => c.family === "compare")!;
    expect(JSON.stringify(cmp.body)).toContain("Revenue grew 12%");
    const stored = await fx.tasks.store.get("default", result.id);
    expect(stored).toMatchObject({ id: result.id, status: "completed", answer: result.answer, rootTraceId: result.rootTraceId });
  });

  it("completes the other calls of a wave when one call fails, and still answers", async () => {
    fx.sim.setFault({ mode: "http_500", family: "costs", endpoint: "chat" });
    try {
      const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the quarterly report", totalBudgetTokens: 50_000 });
      expect(result.status).toBe("completed");
      expect(result.answer).toContain("Q3");
      expect(Object.fromEntries(result.subTasks.map((s) => [s.id, s.status]))).toEqual({ rev: "completed", cost: "failed", cmp: "completed" });
      const failed = result.traceTree!.children!.find((c) => c.subTaskId === "cost")!;
      expect(failed).toMatchObject({ status: "failed", error: { code: expect.stringMatching(/^llm_/) } });
      await fx.orchestrator.recorder.flush();
      const stored = (await storedTraces(fx.tdb)).find((t) => t.id === failed.traceId)!;
      expect(stored).toMatchObject({ parent_trace_id: result.rootTraceId, success: false });
    } finally {
      fx.sim.clearFaults();
    }
  });

  it("performs interruption synthesis when the budget runs out and marks the trace budget-interrupted", async () => {
    const callsBefore = fx.sim.calls.length;
    // Enough for the plan and the first wave, not for the second: the comparison is never started.
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the quarterly report", totalBudgetTokens: 3000 });
    expect(result).toMatchObject({ status: "budget_interrupted", budget: { total: 3000, interrupted: true } });
    expect(result.answer).toContain("Q3");
    expect(result.budget.used).toBeLessThanOrEqual(3000);
    expect(Object.fromEntries(result.subTasks.map((s) => [s.id, s.status]))).toEqual({ rev: "completed", cost: "completed", cmp: "skipped_budget" });
    const synth = result.traceTree!.children!.at(-1)!;
    expect(synth).toMatchObject({ role: "synthesizer", status: "ok", interruptionSynthesis: true });
    // The comparison never reached the model; the synthesizer was told the work was interrupted.
    const calls = fx.sim.calls.slice(callsBefore);
    expect(calls.map((c) => c.family)).not.toContain("compare");
    expect(JSON.stringify(calls.find((c) => c.family === "merge")!.body)).toContain('\\"interrupted\\": true');
    await fx.orchestrator.recorder.flush();
    const traces = await storedTraces(fx.tdb);
    expect(traces.find((t) => t.id === result.rootTraceId)).toMatchObject({ metadata: { budgetInterrupted: true, budget: { total: 3000 } } });
    expect(traces.find((t) => t.id === synth.traceId)).toMatchObject({ metadata: { interruptionSynthesis: true, budgetInterrupted: true } });
    expect(await fx.tasks.store.get("default", result.id)).toMatchObject({ status: "budget_interrupted" });
  });

  it("refuses a task whose budget cannot even pay for the plan, without calling the model for it", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the quarterly report", totalBudgetTokens: 200 });
    expect(result.status).toBe("failed");
    expect(result.traceTree!.children!.map((c) => [c.role, c.status])).toEqual([["analyst", "refused"], ["synthesizer", "refused"]]);
    expect(result.budget.used).toBe(0);
  });
});
