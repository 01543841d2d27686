// The SDK's served prompts and runSignature on real parts: a running service (GET /v1/prompts),
// a versions/ checkout, the real openai SDK against the model simulator, and traced runs.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { PromptClient, runSignature, traceAgent, setOutcome, deferOutcome, type TraceSink } from "../../src/index.js";
import type { Outcome, TraceInput } from "../../src/domain/trace.js";
import { serializeCompiledVersion } from "../../src/domain/compiled-version.js";
import { seedDataDir } from "../support/database-template.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { buildCompiledVersion, signatureField } from "../support/compiled-versions.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const TRIAGE = `name: triage
description: Triages a ticket.
inputs:
  - name: ticketText
    description: The ticket
outputs:
  - name: action
    description: "Next action: refund or escalate."
    type: enum
    values: [refund, escalate]
tools:
  - name: lookup_order
    description: Looks up an order by id.
    parameters: { type: object, properties: { orderId: { type: string } }, required: [orderId] }
instructions: Decide the next action.
`;

const BANK = {
  families: [{ id: "billing", match: { keywords: ["charged twice"] }, answer: { action: "refund" }, fixedBy: ["Decide the next action"], toolCalls: [{ name: "lookup_order", arguments: { orderId: "A-1" } }] }],
};

/** A sink that keeps what it is given, outcomes included. */
function memorySink(): TraceSink & { traces: TraceInput[]; outcomes: [string, Outcome][] } {
  const traces: TraceInput[] = [];
  const outcomes: [string, Outcome][] = [];
  return {
    traces,
    outcomes,
    send: (t) => void traces.push(t),
    flush: async () => undefined,
    close: async () => undefined,
    sendOutcome: async (id, o) => (outcomes.push([id, o]), true),
    stats: { queued: 0, sent: 0, dropped: 0, rejected: 0, retries: 0 },
  };
}

describe("served prompts in the SDK", () => {
  let sim: Simulator;
  let service: Service;
  let repo: TestRepo;
  let data: { dir: string; remove(): void };

  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    repo = createTestRepo();
    writeFileSync(path.join(repo.dir, "prompts", "triage.yaml"), TRIAGE);
    git(repo.dir, "add", ".");
    git(repo.dir, "commit", "-q", "-m", "triage");
    data = makeTempDir("meta-agent-data-");
    const config = loadConfig({
      env: { META_AGENT_DATA_DIR: data.dir, PORT: "0", LEARNING_INTERVAL: "86400", PROMPTS_REPO_DIR: repo.dir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", META_AGENT_GITHUB_TOKEN: "", GITHUB_TOKEN: "" },
      cwd: repo.dir,
    });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    await sim?.close();
    repo?.remove();
    data?.remove();
  });

  it("GET /v1/prompts/:name serves the rendered prompt with an ETag, 304 when unchanged, 404 naming what exists", async () => {
    const res = await fetch(`${service.url}/v1/prompts/triage`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ name: "triage", version: "1.0.0", baseline: true, demos: [], tools: [{ name: "lookup_order" }] });
    expect(body.system).toContain("Decide the next action.");
    expect(body.outputSchema).toMatchObject({ type: "object", required: ["action"] });
    const etag = res.headers.get("etag")!;
    expect(etag).toBe(`"${body.contentHash}"`);
    expect((await fetch(`${service.url}/v1/prompts/triage`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const missing = await fetch(`${service.url}/v1/prompts/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/nope/);
  });

  it("refuses to run a signature with tools on the service, pointing at the SDK", async () => {
    const res = await fetch(`${service.url}/v1/signatures/triage/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inputs: { ticketText: "charged twice" } }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; message: string; details: { missing: string[] } } };
    expect(body.error).toMatchObject({ code: "signature_tools_unavailable", details: { missing: ["lookup_order"] } });
    expect(body.error.message).toMatch(/declares tools the service does not have: lookup_order .*runSignature/);
  });

  it("runSignature runs the tool loop with the caller's functions and the traced run records signature@version, tools and model calls", async () => {
    const sink = memorySink();
    const prompts = new PromptClient({ url: service.url, refreshIntervalMs: 0 });
    const openai = new OpenAI({ baseURL: sim.baseURL, apiKey: "sim", maxRetries: 0 });
    const looked: unknown[] = [];
    const triage = traceAgent(
      "triage-agent",
      async (ticket: { text: string; label: string }) => {
        const prompt = await prompts.getPrompt("triage");
        const handle = deferOutcome();
        const result = await runSignature(prompt, { ticketText: ticket.text }, { openai, model: "sim-chat", tools: { lookup_order: async (args: { orderId: string }) => (looked.push(args), { charges: 2 }) } });
        return { action: result.outputs["action"], traceId: handle!.traceId };
      },
      { sink, inputs: (t: { text: string; label: string }) => ({ ticketText: t.text, label: t.label }), omit: ["label"] },
    );
    const out = await triage({ text: "I was charged twice", label: "refund" });
    expect(out.action).toBe("refund");
    expect(looked).toEqual([{ orderId: "A-1" }]);
    const trace = sink.traces[0]!;
    expect(trace).toMatchObject({ agent: "triage-agent", signature: "triage", promptVersion: "1.0.0", input: { ticketText: "I was charged twice" } });
    expect(trace.outcome).toBeUndefined(); // deferred: no default outcome on return
    expect((trace.steps ?? []).map((s) => (s.type === "tool_call" ? `tool:${s.name}` : s.type))).toEqual(["llm_call", "tool:lookup_order", "llm_call"]);
    // The outcome arrives later, by trace id.
    expect(await setOutcome(out.traceId, { success: true, feedback: "customer confirmed" }, { sink })).toBe(true);
    expect(sink.outcomes).toEqual([[trace.id, { success: true, feedback: "customer confirmed" }]]);
    prompts.close();
  });

  it("falls back to the agent's own prompt while the service is unreachable, then picks up the served one", async () => {
    const sink = memorySink();
    // Nothing listens on this port yet: the first load fails.
    const prompts = new PromptClient({ url: "http://127.0.0.1:9", refreshIntervalMs: 0, requestTimeoutMs: 500, logger: silentLogger });
    const first = await prompts.getPrompt("triage", { fallback: "You triage tickets." });
    expect(first).toMatchObject({ source: "fallback", version: "fallback", system: "You triage tickets." });
    const run = traceAgent("fallback-agent", async () => (await prompts.getPrompt("triage", { fallback: "You triage tickets." })).render({ ticketText: "hi" }), { sink });
    const messages = await run();
    expect(messages[0]).toEqual({ role: "system", content: "You triage tickets." });
    expect(sink.traces[0]).toMatchObject({ signature: "triage" });
    expect(sink.traces[0]!.promptVersion).toBeUndefined();
    await expect(new PromptClient({ url: "http://127.0.0.1:9", refreshIntervalMs: 0, requestTimeoutMs: 500, logger: silentLogger }).getPrompt("triage")).rejects.toThrow();
    prompts.close();
  });

  it("reads a versions/ checkout when configured, and follows the file on refresh", async () => {
    const dir = makeTempDir("meta-agent-versions-");
    const v = (version: string, instructions: string) =>
      buildCompiledVersion({ name: "triage", version, parent: null, instructions, inputs: [signatureField("ticketText", "The ticket")], outputs: [signatureField("action", "Next action")], demos: [{ input: { ticketText: "charged twice" }, output: { action: "refund" } }] });
    writeFileSync(path.join(dir.dir, "triage.yaml"), serializeCompiledVersion(v("1.2.0", "Refund double charges.")));
    const prompts = new PromptClient({ versionsDir: dir.dir, refreshIntervalMs: 0 });
    try {
      const p = await prompts.getPrompt("triage");
      expect(p).toMatchObject({ version: "1.2.0", source: "versions-dir", ref: "triage@1.2.0" });
      expect(p.render({ ticketText: "where is my order" })).toEqual([
        { role: "system", content: expect.stringContaining("Refund double charges.") },
        { role: "user", content: JSON.stringify({ ticketText: "charged twice" }, null, 2) },
        { role: "assistant", content: JSON.stringify({ action: "refund" }) },
        { role: "user", content: JSON.stringify({ ticketText: "where is my order" }, null, 2) },
      ]);
      writeFileSync(path.join(dir.dir, "triage.yaml"), serializeCompiledVersion(v("1.3.0", "Escalate anything unclear.")));
      await prompts.refresh();
      await waitFor(async () => (await prompts.getPrompt("triage")).version === "1.3.0", { what: "the new file" });
      expect((await prompts.getPrompt("triage")).system).toContain("Escalate anything unclear.");
    } finally {
      prompts.close();
      dir.remove();
    }
  });
});
