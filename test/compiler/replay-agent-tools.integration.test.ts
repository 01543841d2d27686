// A signature whose tools live in the agent (run with the SDK) is evaluated with the results its
// own runs recorded: traces sent through the real ingest path with their tool calls, a compile on
// the simulator, and the model's requests checked for the tools and the replayed results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ensureTenant, insertAnalysisRun } from "../support/compiler-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { createInMemoryPromptStore } from "../../src/registry/prompt-store.js";
import { compileSignature, type CompileSettings } from "../../src/compiler/compile-signature.js";
import { ingestTraces } from "../../src/collector/ingest/ingest-traces.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { evaluateSignature } from "../../src/compiler/eval/evaluate-signature.js";

const ORDER_STATUS = `name: order_status
description: Tells a customer where their order is.
inputs:
  - name: question
    description: The customer's question.
outputs:
  - name: status
    description: The order's status.
tools:
  - name: lookup_order
    description: Looks an order up in the shop's database.
    parameters:
      type: object
      properties:
        orderId:
          type: string
      required: [orderId]
instructions: Look the order up before you answer.
`;

const settings: CompileSettings = {
  promptsDir: "",
  defaultOptimizer: "guideline-induction",
  devSetSize: 6,
  minImprovement: 0.02,
  promotionConfidence: 0.95,
  confidenceThreshold: 0.7,
  maxLlmCalls: 200,
  maxTokens: 1_000_000,
  maxDemos: 2,
  backupOriginalPrompts: true,
};

type Body = { tools?: { function: { name: string; description?: string } }[]; messages: { role: string; content: string | null }[] };

describe("evaluating a signature whose tools live in the agent", () => {
  const tmp = makeTempDir();
  let t: TestDatabase;
  let sim: Simulator;
  let prompts: string;

  beforeAll(async () => {
    prompts = path.join(tmp.dir, "prompts");
    mkdirSync(prompts);
    writeFileSync(path.join(prompts, "order_status.yaml"), ORDER_STATUS);
    // The model looks order A-3 up whatever it is asked about, then answers.
    sim = await startSimulator({ bank: { families: [{ id: "orders", match: { keywords: ["where is order"] }, toolCalls: [{ name: "lookup_order", arguments: { orderId: "A-3" } }], answer: { status: "shipped" }, baseAccuracy: 1 }] } });
    t = await createTestDatabase();
    await ensureTenant(t.db.pool, "shop");
    // What the agent recorded with the SDK: each run looked its own order up.
    const traces = [...Array(14).keys()].map((i) => ({
      id: `order-${i}`,
      agent: "order_status",
      signature: "order_status",
      promptVersion: "1.0.0",
      input: { question: `Where is order A-${i}?` },
      output: { status: "shipped" },
      outcome: { success: true },
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      steps: [{ type: "tool_call", name: "lookup_order", arguments: { orderId: `A-${i}` }, success: true, response: `{"orderId":"A-${i}","status":"shipped","carrier":"DHL"}` }],
    }));
    const ingested = await ingestTraces(t.db.forTenant("shop").pool, "shop", traces);
    expect(ingested.rejected).toBe(0);
    await insertAnalysisRun(t.db.pool, { tenant: "shop", agent: "order_status", id: "run-orders", patterns: [{ id: "pat-last", key: "failure_pattern:last_tool:lookup_order", type: "failure_pattern", recommendations: ["Do not finish right after lookup_order: read its result first."], confidence: 0.9, actionable: true }] });
  });
  afterAll(async () => {
    await Promise.all([t?.close(), sim?.close()]);
    tmp.remove();
  });

  it("offers the tools and answers each call with what that example's own run recorded, and the report says how", async () => {
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    const from = sim.calls.length;
    const report = await compileSignature({ db: t.db, store: createInMemoryPromptStore(), model, logger: silentLogger, settings: { ...settings, promptsDir: prompts }, now: () => new Date("2026-02-01T00:00:00Z") }, { tenant: "shop", name: "order_status" });
    expect(report.evaluation.parent).not.toBeNull();
    expect(report.evaluation.candidate).not.toBeNull();

    const bodies = sim.calls.slice(from).filter((c) => c.endpoint === "chat").map((c) => c.body as Body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.every((b) => b.tools?.map((x) => x.function.name).join() === "lookup_order")).toBe(true);
    // Every tool result the model read is the one recorded for the order its example asked about:
    // the model asked for A-3, so A-3's example got its own result (same arguments) and every
    // other example the result its run recorded (by tool name).
    const replayed = bodies.flatMap((b) => {
      const question = b.messages.filter((m) => m.role === "user").map((m) => m.content ?? "").join("\n");
      const asked = /Where is order (A-\d+)\?/.exec(question)?.[1];
      return b.messages.filter((m) => m.role === "tool").map((m) => ({ asked, result: m.content }));
    });
    expect(replayed.length).toBeGreaterThan(0);
    for (const r of replayed) expect(r.result).toBe(`{"orderId":"${r.asked}","status":"shipped","carrier":"DHL"}`);

    const note = report.notes.find((n) => n.startsWith("evaluated with recorded tool results: lookup_order run in the agent"));
    expect(note).toBeDefined();
    const [, exact, byName, unrecorded] = /\((\d+) with the same arguments, (\d+) by tool name with other arguments, (\d+) with nothing recorded\)/.exec(note!)!.map(Number);
    expect(exact! + byName!).toBe(replayed.length);
    expect(unrecorded).toBe(0);
    expect(report.notes.some((n) => n.startsWith("evaluated without tools"))).toBe(false);
  });

  it("meta-agent eval on held-out traces replays them the same way, and says how per version", async () => {
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    const from = sim.calls.length;
    const deps = { db: t.db, store: createInMemoryPromptStore(), model, promptsDir: prompts, holdoutFraction: 0.5, settings: { objective: { objective: "quality" as const, tokenPenalty: 0 }, prices: { prompt: 0, completion: 0 } } };
    const report = await evaluateSignature(deps, { tenant: "shop", name: "order_status", versions: ["baseline"], dataset: { fromTraces: true } });
    expect(report.items.length).toBeGreaterThan(0);
    const results = sim.calls.slice(from).flatMap((c) => (c.body as Body).messages.filter((m) => m.role === "tool").map((m) => m.content));
    expect(results.length).toBe(report.items.length);
    expect(results.every((r) => /^\{"orderId":"A-\d+","status":"shipped","carrier":"DHL"\}$/.test(r ?? ""))).toBe(true);
    const counts = report.toolReplay!["baseline"]!;
    expect(counts.exact + counts.byName).toBe(results.length);
    expect(counts.unrecorded).toBe(0);

    // A dataset given inline has no recorded runs: no replay.
    const inline = await evaluateSignature(deps, { tenant: "shop", name: "order_status", versions: ["baseline"], dataset: { items: [{ input: { question: "Where is order A-1?" }, output: { status: "shipped" } }] } });
    expect(inline.toolReplay).toBeUndefined();
  });
});
