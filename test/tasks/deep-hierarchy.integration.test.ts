// Hierarchies of any depth (seed 001's max_depth / agents_per_level) at depth 3 on the simulator:
// sub-tasks split again, each split merged by the synthesizer, one token budget across levels,
// and interruption synthesis when the budget runs out deep down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BankInput } from "../../src/simulator/index.js";
import type { SubTaskResult, TraceNode } from "../../src/tasks/task-result.js";
import { startOrchestratorFixture, type OrchestratorFixture } from "../support/orchestrator.js";

const PLAN = "You plan work";
const WORKER = "Solve only the sub-task";
const MERGE = "Combine the sub-task results";
const part = (id: string, description: string) => ({ id, description, wave: 1, kind: "reason" });
const plan = (id: string, keywords: string[], parts: ReturnType<typeof part>[]) => ({ id, match: { system: PLAN, keywords }, answer: { subTasks: parts, rationale: "Split by area." }, baseAccuracy: 1 });
const worker = (id: string, keyword: string, answer: string) => ({ id, match: { system: WORKER, keywords: [keyword] }, answer: { answer, confidence: 0.9 }, baseAccuracy: 1 });
const merge = (id: string, keywords: string[], finalAnswer: string) => ({ id, match: { system: MERGE, keywords }, answer: { finalAnswer, caveats: "" }, baseAccuracy: 1 });

// Families are matched in order: the most specific first (a split's prompt also names the whole task).
const bank: BankInput = {
  families: [
    // Level 2 → 3: "Book the hall" splits into three parts, of which agents_per_level 2 keeps two.
    plan("plan-hall", ["book the hall"], [part("1", "Compare hall prices"), part("2", "Sign the hall contract"), part("3", "Pay the hall deposit")]),
    // Other level-2 sub-tasks are leaves: a plan of one part.
    { id: "plan-leaf", match: { system: PLAN, anyKeywords: ["order the catering", "invite the speakers", "print the schedule"] }, answer: { subTasks: [part("1", "Do it")], rationale: "Nothing to split." }, baseAccuracy: 1 },
    plan("plan-venue", ["organise the venue"], [part("1", "Book the hall"), part("2", "Order the catering")]),
    plan("plan-talks", ["organise the talks"], [part("1", "Invite the speakers"), part("2", "Print the schedule")]),
    plan("plan-root", ["plan the conference"], [part("venue", "Organise the venue"), part("talks", "Organise the talks")]),
    worker("w-prices", "compare hall prices", "Hall B is the cheapest."),
    worker("w-contract", "sign the hall contract", "The contract for Hall B is signed."),
    worker("w-deposit", "pay the hall deposit", "Deposit paid."),
    worker("w-catering", "order the catering", "Catering for 200 is ordered."),
    worker("w-speakers", "invite the speakers", "Six speakers confirmed."),
    worker("w-schedule", "print the schedule", "The schedule is printed."),
    merge("m-hall", ["book the hall", "compare hall prices"], "Hall B is booked."),
    merge("m-venue", ["organise the venue", "order the catering"], "The venue is ready: Hall B, catering for 200."),
    merge("m-talks", ["organise the talks", "invite the speakers"], "The talks are ready: six speakers, schedule printed."),
    merge("m-root", ["plan the conference"], "The conference is planned: Hall B with catering, six speakers."),
  ],
};

/** Roles of a node's children, with split sub-tasks shown as [their children]. */
const shape = (node: TraceNode): unknown[] => (node.children ?? []).map((c) => (c.role === "subtask" ? { [c.subTaskId!]: shape(c) } : c.role));
const allNodes = (node: TraceNode): TraceNode[] => [node, ...(node.children ?? []).flatMap(allNodes)];

describe("hierarchical tasks at depth 3", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({ bank, env: { ORCHESTRATOR_MAX_DEPTH: "3", ORCHESTRATOR_AGENTS_PER_LEVEL: "2" } });
  });
  afterAll(async () => fx?.close());

  it("splits sub-tasks again down to max_depth, merges each split, and shows the tree", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Plan the conference", totalBudgetTokens: 200_000 });
    expect(result).toMatchObject({ status: "completed", answer: "The conference is planned: Hall B with catering, six speakers." });
    expect(shape(result.traceTree!)).toEqual([
      "analyst",
      { venue: ["analyst", { "venue.1": ["analyst", "worker", "worker", "synthesizer"] }, "analyst", "worker", "synthesizer"] },
      { talks: ["analyst", "analyst", "worker", "analyst", "worker", "synthesizer"] },
      "synthesizer",
    ]);
    const venue = result.subTasks.find((s) => s.id === "venue")!;
    expect(venue).toMatchObject({ status: "completed", answeredBy: "synthesizer", answer: "The venue is ready: Hall B, catering for 200." });
    const hall = venue.parts!.find((p) => p.id === "venue.1")!;
    expect(hall).toMatchObject({ depth: 2, answeredBy: "synthesizer", answer: "Hall B is booked." });
    // agents_per_level 2: the third part of the hall's plan is not run.
    expect(hall.parts!.map((p: SubTaskResult) => [p.id, p.depth, p.answeredBy, p.answer])).toEqual([
      ["venue.1.1", 3, "worker", "Hall B is the cheapest."],
      ["venue.1.2", 3, "worker", "The contract for Hall B is signed."],
    ]);
    expect(fx.sim.calls.some((c) => c.family === "w-deposit")).toBe(false);

    // One budget: what the task used is what every model call of every level spent.
    const nodes = allNodes(result.traceTree!);
    const callTokens = nodes.filter((n) => n.role !== "task" && n.role !== "subtask").reduce((sum, n) => sum + n.tokens, 0);
    expect(result.budget.used).toBe(callTokens);

    // Every call's trace hangs under its split's trace, and each split's under its parent's.
    await fx.orchestrator.recorder.flush();
    const { rows } = await fx.tdb.db.pool.query<{ id: string; parent_trace_id: string | null; metadata: Record<string, unknown> }>("SELECT id, parent_trace_id, metadata FROM traces WHERE tenant_id = 'default'");
    const parentOf = new Map(rows.map((r) => [r.id, r.parent_trace_id]));
    const hallNode = nodes.find((n) => n.role === "subtask" && n.subTaskId === "venue.1")!;
    const venueNode = nodes.find((n) => n.role === "subtask" && n.subTaskId === "venue")!;
    const leaf = hallNode.children!.find((n) => n.role === "worker")!;
    expect(parentOf.get(leaf.traceId!)).toBe(hallNode.traceId);
    expect(parentOf.get(hallNode.traceId!)).toBe(venueNode.traceId);
    expect(parentOf.get(venueNode.traceId!)).toBe(result.rootTraceId);
  });

  it("stops every level when the budget runs out and still answers by interruption synthesis", async () => {
    const full = await fx.tasks.runTask({ tenant: "default", taskDescription: "Plan the conference", totalBudgetTokens: 200_000 });
    // Enough for the first levels, not for all of the third, plus the synthesis reserve (a quarter).
    const tight = Math.floor(full.budget.used * 0.75);
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Plan the conference", totalBudgetTokens: tight });
    expect(result.status).toBe("budget_interrupted");
    expect(result.budget.used).toBeLessThanOrEqual(tight);
    expect(result.answer).toEqual(expect.any(String));
    const root = result.traceTree!.children!;
    expect(root.at(-1)).toMatchObject({ role: "synthesizer", status: "ok", interruptionSynthesis: true });
    const refused = allNodes(result.traceTree!).filter((n) => n.status === "refused");
    expect(refused.length).toBeGreaterThan(0);
  });
});
