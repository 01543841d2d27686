import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompiledVersion, signatureField } from "../support/compiled-versions.js";
import { startOrchestratorFixture, storedTraces, type OrchestratorFixture } from "../support/orchestrator.js";
import { waitFor } from "../support/wait-for.js";

const triage = (version: string) =>
  buildCompiledVersion({
    name: "triage",
    version,
    parent: version === "1.0.0" ? null : "1.0.0",
    inputs: [signatureField("ticketText", "the support ticket")],
    outputs: [signatureField("queue", "the queue the ticket goes to")],
    instructions: version === "1.0.0" ? "Route the ticket to a queue." : "Route the ticket to the right queue.",
  });

describe("runSignature with the semantic cache (the default configuration)", () => {
  let fx: OrchestratorFixture;
  beforeAll(async () => {
    fx = await startOrchestratorFixture({
      bank: { families: [{ id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, baseAccuracy: 1 }] },
      versions: [triage("1.0.0")],
      env: { CACHE_ENABLED: "true" },
    });
  });
  afterAll(async () => fx?.close());

  it("serves a repeated input from the cache with zero model tokens and records a cache-hit trace", async () => {
    const first = await fx.orchestrator.runSignature("triage", { ticketText: "I want a refund for order 77" });
    await waitFor(async () => (await fx.tdb.db.pool.query("SELECT 1 FROM cache_entries")).rows.length > 0, { what: "cache store" });
    const calls = fx.sim.calls.length;
    const second = await fx.orchestrator.runSignature("triage", { ticketText: "I want a refund for order 77" });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, calls: 0, outputs: first.outputs, usage: { promptTokens: 0, completionTokens: 0 } });
    expect(fx.sim.calls.length).toBe(calls);
    await fx.orchestrator.recorder.flush();
    const trace = (await storedTraces(fx.tdb)).find((t) => t.id === second.traceId)!;
    expect(trace).toMatchObject({ prompt_version: "1.0.0", prompt_tokens: 0, completion_tokens: 0, metadata: { cacheHit: true } });
  });

  it("never serves an entry of an older version after a promotion", async () => {
    await fx.repo.commitVersion(triage("1.1.0"));
    await waitFor(() => fx.orchestrator.registry.latest("default", "triage")?.version === "1.1.0", { what: "promotion" });
    const calls = fx.sim.calls.length;
    const run = await fx.orchestrator.runSignature("triage", { ticketText: "I want a refund for order 77" });
    expect(run).toMatchObject({ version: "1.1.0", cached: false });
    expect(fx.sim.calls.length).toBe(calls + 1);
  });
});
