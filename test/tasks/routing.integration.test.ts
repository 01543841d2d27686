import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BankInput } from "../../src/simulator/index.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { shippedBaseline, startOrchestratorFixture, storedTraces, type OrchestratorFixture } from "../support/orchestrator.js";
import { makeTempDir } from "../support/temp-dir.js";

// Planted tasks: a fleet report with a compute sub-task (the engineer's program prints 76) and a
// research sub-task (the worker cites the library passage as [1]); a latency report whose
// engineer writes a program that throws, so the worker takes over.
const ENGINEER = "write a short, deterministic program";
const WORKER = "Solve only the sub-task";
const bank: BankInput = {
  families: [
    {
      id: "fleet-plan",
      match: { system: "You plan work", keywords: ["fleet report"] },
      answer: {
        subTasks: [
          { id: "avg", description: "Compute the average GPU utilisation of 62, 71 and 95 percent", wave: 1, kind: "compute" },
          { id: "cost", description: "Find what the GPU cluster for inference costs per month", wave: 1, kind: "research" },
        ],
        rationale: "Arithmetic goes to the engineer, the cost is in the documents.",
      },
      baseAccuracy: 1,
    },
    { id: "avg-engineer", match: { system: ENGINEER, keywords: ["average gpu utilisation"] }, answer: { language: "javascript", code: "console.log((62 + 71 + 95) / 3)", expectedAnswer: "76" }, baseAccuracy: 1 },
    { id: "avg-worker", match: { system: WORKER, keywords: ["average gpu utilisation"] }, answer: { answer: "Roughly 75 percent.", confidence: 0.5 }, baseAccuracy: 1 },
    { id: "cost-worker", match: { system: WORKER, keywords: ["gpu cluster for inference costs"] }, answer: { answer: "The inference cluster costs 41000 dollars per month [1].", confidence: 0.9 }, baseAccuracy: 1 },
    { id: "fleet-merge", match: { system: "Combine the sub-task results", keywords: ["fleet report"] }, answer: { finalAnswer: "Utilisation averages 76%; the cluster costs 41000 dollars a month.", caveats: "" }, baseAccuracy: 1 },
    {
      id: "latency-plan",
      match: { system: "You plan work", keywords: ["latency report"] },
      answer: { subTasks: [{ id: "med", description: "Compute the median latency of 120, 80 and 95 ms", wave: 1, kind: "compute" }], rationale: "One computation." },
      baseAccuracy: 1,
    },
    { id: "med-engineer", match: { system: ENGINEER, keywords: ["median latency"] }, answer: { language: "javascript", code: "throw new RangeError('no samples')" }, baseAccuracy: 1 },
    { id: "med-worker", match: { system: WORKER, keywords: ["median latency"] }, answer: { answer: "The median latency is 95 ms.", confidence: 0.8 }, baseAccuracy: 1 },
    { id: "latency-merge", match: { system: "Combine the sub-task results", keywords: ["latency report"] }, answer: { finalAnswer: "Median latency: 95 ms." }, baseAccuracy: 1 },
  ],
};

const requestOf = (fx: OrchestratorFixture, family: string) => JSON.stringify(fx.sim.calls.find((c) => c.family === family)?.body ?? null);

describe("routing of sub-tasks by kind", () => {
  let fx: OrchestratorFixture;
  let library: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({ bank, versions: [await shippedBaseline("engineer")] });
    library = makeTempDir("meta-agent-library-");
    mkdirSync(path.join(library.dir, "data"));
    writeFileSync(path.join(library.dir, "data", "infrastructure.md"), "# Infrastructure costs\n\nThe GPU cluster for vLLM inference costs 41000 dollars per month.\n");
    writeFileSync(path.join(library.dir, "data", "on-call.md"), "# On-call\n\nThe on-call rotation changes every Monday at 09:00 UTC.\n");
    await indexLibrary({ db: fx.tdb.db, embedder: createEmbedder(fx.tdb.config) }, { tenant: "default", dir: "data", baseDir: library.dir });
  });
  afterAll(async () => {
    await fx?.close();
    library?.remove();
  });

  it("answers a compute sub-task with the output of the engineer's program and a research sub-task with cited library passages", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the fleet report", totalBudgetTokens: 50_000 });
    expect(result.status).toBe("completed");
    const [avg, cost] = result.subTasks;

    // compute: the program's output is the answer, the worker is never asked.
    expect(avg).toMatchObject({ id: "avg", kind: "compute", status: "completed", answeredBy: "engineer", answer: "76" });
    expect(fx.sim.calls.map((c) => c.family)).not.toContain("avg-worker");
    const engineer = result.traceTree!.children!.find((c) => c.subTaskId === "avg")!;
    expect(engineer).toMatchObject({ role: "engineer", signature: "engineer", status: "ok", program: { ok: true } });
    expect(engineer.tokens).toBeGreaterThan(0);

    // research: the worker's prompt carries the passage with its citation, the result lists it.
    const prompt = requestOf(fx, "cost-worker");
    expect(prompt).toContain("41000 dollars per month");
    expect(prompt).toContain("(data/infrastructure.md, chunk 0)");
    const source = "data/infrastructure.md, chunk 0";
    const n = cost!.references!.find((r) => r.source === source)!.n;
    expect(n).toBe(1);
    expect(cost).toMatchObject({ id: "cost", kind: "research", answeredBy: "worker", citations: [{ n: 1, source, path: "data/infrastructure.md", page: null, chunk: 0 }] });
    expect(result.citations).toEqual([{ subTaskId: "cost", n: 1, source, path: "data/infrastructure.md", page: null, chunk: 0 }]);
    const worker = result.traceTree!.children!.find((c) => c.subTaskId === "cost")!;
    expect(worker).toMatchObject({ role: "worker", references: expect.arrayContaining([`[1] ${source}`]) });

    // The synthesizer saw the computed number and the source behind [1].
    expect(requestOf(fx, "fleet-merge")).toContain("76");
    expect(requestOf(fx, "fleet-merge")).toContain(`[1] ${source}`);
    // Every routed call is charged to the one budget.
    expect(result.budget.used).toBe(result.traceTree!.children!.reduce((s, c) => s + c.tokens, 0));

    await fx.orchestrator.recorder.flush();
    const traces = await storedTraces(fx.tdb);
    const engineerTrace = traces.find((t) => t.id === engineer.traceId)!;
    expect(engineerTrace).toMatchObject({ signature: "engineer", parent_trace_id: result.rootTraceId, step_count: 2, metadata: { role: "engineer", subTaskId: "avg", program: { ok: true } } });
    const workerTrace = traces.find((t) => t.id === worker.traceId)!;
    expect(workerTrace).toMatchObject({ signature: "worker", parent_trace_id: result.rootTraceId, metadata: { role: "worker", kind: "research", references: expect.arrayContaining([`[1] ${source}`]) } });
    expect(await fx.tasks.store.get("default", result.id)).toMatchObject({ citations: result.citations });
  });

  it("falls back to the worker, with the failure noted, when the engineer's program fails", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the latency report", totalBudgetTokens: 50_000 });
    expect(result).toMatchObject({ status: "completed", answer: "Median latency: 95 ms." });
    expect(result.subTasks[0]).toMatchObject({ id: "med", status: "completed", answeredBy: "worker", answer: "The median latency is 95 ms.", fallback: { from: "engineer", reason: "the program failed: RangeError: no samples" } });
    const calls = result.traceTree!.children!.filter((c) => c.subTaskId === "med");
    expect(calls.map((c) => c.role)).toEqual(["engineer", "worker"]);
    expect(calls[0]).toMatchObject({ status: "ok", program: { ok: false, error: "the program failed: RangeError: no samples" } });
    expect(calls[1]).toMatchObject({ status: "ok", fallbackFrom: { role: "engineer", reason: expect.stringContaining("RangeError") } });
    await fx.orchestrator.recorder.flush();
    const traces = await storedTraces(fx.tdb);
    expect(traces.find((t) => t.id === calls[0]!.traceId)).toMatchObject({ success: false, metadata: { program: { ok: false } } });
    expect(traces.find((t) => t.id === calls[1]!.traceId)).toMatchObject({ metadata: { fallbackFrom: "engineer", fallbackReason: expect.stringContaining("RangeError") } });
  });
});

describe("routing without an engineer", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    // No engineer version is committed and the prompts directory is empty: the engineer is not served.
    fx = await startOrchestratorFixture({ bank });
  });
  afterAll(async () => fx?.close());

  it("gives a compute sub-task to the worker and says why", async () => {
    const result = await fx.tasks.runTask({ tenant: "default", taskDescription: "Write the latency report", totalBudgetTokens: 50_000 });
    expect(result.subTasks[0]).toMatchObject({ status: "completed", answeredBy: "worker", answer: "The median latency is 95 ms.", fallback: { from: "engineer", reason: expect.stringMatching(/engineer signature is not served/) } });
    expect(fx.sim.calls.map((c) => c.family)).not.toContain("med-engineer");
    expect(result.traceTree!.children!.map((c) => c.role)).toEqual(["analyst", "worker", "synthesizer"]);
  });
});
