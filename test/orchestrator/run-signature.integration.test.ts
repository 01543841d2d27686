import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompiledVersion, signatureField } from "../support/compiled-versions.js";
import { startOrchestratorFixture, storedTraces, type OrchestratorFixture } from "../support/orchestrator.js";
import { waitFor } from "../support/wait-for.js";

// A "triage" signature: the simulator answers correctly only when the guideline of 1.1.0 is in the prompt.
const triage = (version: string, guideline?: string) =>
  buildCompiledVersion({
    name: "triage",
    version,
    parent: version === "1.0.0" ? null : "1.0.0",
    inputs: [signatureField("ticketText", "the support ticket")],
    outputs: [signatureField("queue", "the queue the ticket goes to")],
    instructions: "Route the ticket to a queue.",
    guidelines: guideline ? [{ text: guideline }] : [],
  });

describe("runSignature", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({
      bank: { families: [{ id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, wrongAnswer: { queue: "general" }, fixedBy: ["money matters go to billing"] }] },
      versions: [triage("1.0.0")],
    });
  });
  afterAll(async () => fx?.close());

  it("runs the latest version, returns outputs, usage and trace id, and records a trace with llm_call steps", async () => {
    const run = await fx.orchestrator.runSignature("triage", { ticketText: "I want a refund" });
    expect(run).toMatchObject({ signature: "triage", version: "1.0.0", outputs: { queue: "general" }, calls: 1, cached: false });
    expect(run.usage.promptTokens).toBeGreaterThan(0);
    expect(run.usage.totalTokens).toBe(run.usage.promptTokens + run.usage.completionTokens);
    await fx.orchestrator.recorder.flush();
    const trace = (await storedTraces(fx.tdb)).find((t) => t.id === run.traceId)!;
    expect(trace).toMatchObject({ signature: "triage", prompt_version: "1.0.0", prompt_tokens: run.usage.promptTokens, completion_tokens: run.usage.completionTokens, step_count: 1, output: { queue: "general" } });
    const steps = await fx.tdb.db.pool.query("SELECT type, model, prompt_tokens FROM trace_steps WHERE trace_id = $1", [run.traceId]);
    expect(steps.rows).toEqual([{ type: "llm_call", model: "sim-chat", prompt_tokens: run.usage.promptTokens }]);
  });

  it("names in each trace the version that actually ran, across a promotion and a pinned call", async () => {
    const before = await fx.orchestrator.runSignature("triage", { ticketText: "refund please, order 1" });
    await fx.repo.commitVersion(triage("1.1.0", "Money matters go to billing."));
    await waitFor(() => fx.orchestrator.registry.latest("default", "triage")?.version === "1.1.0", { what: "promotion" });
    const after = await fx.orchestrator.runSignature("triage", { ticketText: "refund please, order 2" });
    const pinned = await fx.orchestrator.runSignature("triage", { ticketText: "refund please, order 3" }, { version: "1.0.0" });
    expect([before.version, after.version, pinned.version]).toEqual(["1.0.0", "1.1.0", "1.0.0"]);
    // The promoted guideline is really in the prompt: the simulator now answers correctly.
    expect([before.outputs.queue, after.outputs.queue, pinned.outputs.queue]).toEqual(["general", "billing", "general"]);
    await fx.orchestrator.recorder.flush();
    const traces = new Map((await storedTraces(fx.tdb)).map((t) => [t.id, t]));
    expect(traces.get(before.traceId)?.prompt_version).toBe("1.0.0");
    expect(traces.get(after.traceId)?.prompt_version).toBe("1.1.0");
    expect(traces.get(pinned.traceId)).toMatchObject({ prompt_version: "1.0.0", metadata: { pinned: true } });
  });

  it("rejects inputs that do not match the signature, naming the field, and calls no model", async () => {
    const callsBefore = fx.sim.calls.length;
    await expect(fx.orchestrator.runSignature("triage", { ticket: "x" })).rejects.toMatchObject({ code: "invalid_request", message: expect.stringContaining("ticketText") });
    expect(fx.sim.calls.length).toBe(callsBefore);
  });

  it("records a failed trace when the model keeps failing, and rethrows the error", async () => {
    const id = fx.sim.setFault({ mode: "http_500" });
    try {
      await expect(fx.orchestrator.runSignature("triage", { ticketText: "refund again" }, { traceId: "failing-run" })).rejects.toMatchObject({ code: expect.stringMatching(/^llm_/) });
    } finally {
      fx.sim.clearFaults();
    }
    expect(id).toBeGreaterThan(0);
    await fx.orchestrator.recorder.flush();
    const trace = (await storedTraces(fx.tdb)).find((t) => t.id === "failing-run")!;
    expect(trace).toMatchObject({ success: false, prompt_version: "1.1.0", metadata: { error: { code: expect.stringMatching(/^llm_/) } } });
  });
});
