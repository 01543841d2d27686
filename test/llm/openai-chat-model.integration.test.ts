import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { getEventListeners } from "node:events";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { createChatModel } from "../../src/llm/create-chat-model.js";
import { LlmError } from "../../src/llm/errors.js";
import { startSimulator, type BankInput, type Simulator } from "../../src/simulator/index.js";

const BANK: BankInput = {
  families: [
    {
      id: "disk",
      match: { keywords: ["disk full"] },
      answer: { rootCause: "disk_full" },
      fixedBy: ["check disk"],
      toolCalls: [{ name: "df", arguments: { path: "/var" } }],
    },
  ],
};

describe("OpenAI-compatible ChatModel against the simulator", () => {
  let sim: Simulator;
  let model: OpenAIChatModel;
  const sleeps: number[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    // Real backoff would be honoured; the recorded sleeps let the test check it without waiting.
    model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 3, sleep: async (ms) => void sleeps.push(ms) });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.setBank(BANK);
    sim.clearFaults(true);
    sim.resetCalls();
    sleeps.length = 0;
  });

  it("leaves no abort listener on a long-lived signal it is given (no MaxListenersExceededWarning)", async () => {
    const cycle = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      // More calls than the default limit of 10 listeners, some concurrent, all on one signal.
      await Promise.all(Array.from({ length: 12 }, () => model.complete({ messages: [{ role: "user", content: "disk full on node-1" }], json: true, signal: cycle.signal })));
      for (let i = 0; i < 3; i++) await model.complete({ messages: [{ role: "user", content: "disk full on node-2" }], json: true, signal: cycle.signal });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(getEventListeners(cycle.signal, "abort")).toHaveLength(0);
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  });

  it("still aborts a call when the long-lived signal is aborted", async () => {
    sim.setBank({ families: [{ ...BANK.families![0]!, latencyMs: 2_000 }] });
    const cycle = new AbortController();
    const call = model.complete({ messages: [{ role: "user", content: "disk full on node-1" }], json: true, signal: cycle.signal });
    setTimeout(() => cycle.abort(), 50);
    await expect(call).rejects.toMatchObject({ kind: "aborted" });
  });

  it("completes in JSON mode and captures token usage", async () => {
    const res = await model.complete({ messages: [{ role: "system", content: "Always check disk usage." }, { role: "user", content: "disk full on node-1" }], json: true, temperature: 0, maxTokens: 100 });
    expect(JSON.parse(res.content)).toEqual({ rootCause: "disk_full" });
    expect(res.usage.promptTokens).toBeGreaterThan(5);
    expect(res.usage.completionTokens).toBeGreaterThan(0);
    expect(res.finishReason).toBe("stop");
    expect(res.model).toBe("sim-chat");
    expect(sim.calls[0]!.body).toMatchObject({ response_format: { type: "json_object" }, temperature: 0, max_tokens: 100, model: "sim-chat" });
  });

  it("calls through a client it is given, with its own retry policy still applied", async () => {
    const client = new OpenAI({ baseURL: sim.baseURL, apiKey: "given", maxRetries: 0 });
    const create = client.chat.completions.create.bind(client.chat.completions);
    const seen: string[] = [];
    client.chat.completions.create = ((body: { model: string }, options?: unknown) => {
      seen.push(body.model);
      return create(body as never, options as never);
    }) as unknown as typeof client.chat.completions.create;
    const given = new OpenAIChatModel({ baseURL: "http://127.0.0.1:9/unused", model: "sim-chat", client, maxRetries: 1, sleep: async (ms) => void sleeps.push(ms) });
    sim.setFault({ mode: "http_500", times: 1 });
    const res = await given.complete({ messages: [{ role: "system", content: "Always check disk usage." }, { role: "user", content: "disk full on node-3" }], json: true, temperature: 0 });
    expect(JSON.parse(res.content)).toEqual({ rootCause: "disk_full" });
    expect(seen).toEqual(["sim-chat", "sim-chat"]);
    expect(sleeps).toHaveLength(1);
  });

  it("offers tools, returns the tool calls, and sends tool results back", async () => {
    const tools = [{ name: "df", description: "disk usage", parameters: { type: "object", properties: { path: { type: "string" } } } }];
    const messages = [{ role: "user" as const, content: "disk full on node-2" }];
    const first = await model.complete({ messages, tools, json: true });
    expect(first.finishReason).toBe("tool_calls");
    expect(first.toolCalls).toEqual([{ id: expect.stringMatching(/^call_/), name: "df", arguments: '{"path":"/var"}' }]);
    const second = await model.complete({
      messages: [...messages, { role: "assistant", content: "", toolCalls: first.toolCalls }, { role: "tool", toolCallId: first.toolCalls[0]!.id, content: "/var 100%" }],
      tools,
      json: true,
    });
    expect(second.toolCalls).toEqual([]);
    expect(JSON.parse(second.content)).toHaveProperty("rootCause");
    expect((sim.calls[1]!.body.messages as { role: string }[]).map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("passes a seed, so a proposer can be asked for distinct yet reproducible candidates", async () => {
    sim.setBank({ families: [], proposals: ["Be brief.", "Cite the evidence.", "Check the logs first."] });
    const propose = async (seed: number) => (await model.complete({ seed, messages: [{ role: "user", content: "Propose improved instructions." }] })).content;
    const seeds = [1, 2, 3, 4, 5, 6];
    const first = await Promise.all(seeds.map(propose));
    expect(await Promise.all(seeds.map(propose))).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(sim.calls[0]!.body).toMatchObject({ seed: 1 });
  });

  it("retries HTTP 500 with growing backoff, then succeeds", async () => {
    sim.setFault({ mode: "http_500", times: 2 });
    const res = await model.complete({ messages: [{ role: "user", content: "hello" }] });
    expect(res.content).toMatch(/^Simulated answer/);
    expect(sim.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThanOrEqual(sleeps[0]!);
  });

  it("honours Retry-After on 429", async () => {
    sim.setFault({ mode: "rate_limit", retryAfterSeconds: 2, times: 1 });
    await model.complete({ messages: [{ role: "user", content: "hello" }] });
    expect(sleeps).toEqual([2000]);
    expect(sim.calls).toHaveLength(2);
  });

  it("retries garbage bodies and invalid completions as invalid responses", async () => {
    sim.setFault({ mode: "garbage", times: 1 });
    sim.setFault({ mode: "invalid_completion", times: 1 });
    await model.complete({ messages: [{ role: "user", content: "hello" }] });
    expect(sim.calls).toHaveLength(3);
    const strict = new OpenAIChatModel({ baseURL: sim.baseURL, model: "m", maxRetries: 0 });
    sim.setFault({ mode: "invalid_completion", times: 1 });
    await expect(strict.complete({ messages: [{ role: "user", content: "hello" }] })).rejects.toMatchObject({ kind: "invalid_response", isRetryable: true });
  });

  it("does not retry a 400 and reports it as a bad request", async () => {
    sim.setFault({ mode: "http_500", status: 400 });
    const error = await model.complete({ messages: [{ role: "user", content: "hello" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: "bad_request", isRetryable: false, upstreamStatus: 400, code: "llm_bad_request" });
    expect(sim.calls).toHaveLength(1);
  });

  it("gives up after maxRetries with the last retryable error", async () => {
    sim.setFault({ mode: "http_500", status: 503 });
    await expect(model.complete({ messages: [{ role: "user", content: "hello" }] })).rejects.toMatchObject({ kind: "server", upstreamStatus: 503 });
    expect(sim.calls).toHaveLength(4);
  });

  it("maps a hang past the timeout to a timeout error", async () => {
    sim.setFault({ mode: "hang", hangMs: 30_000 });
    const quick = new OpenAIChatModel({ baseURL: sim.baseURL, model: "m", timeoutMs: 200, maxRetries: 1, sleep: async () => {} });
    const t0 = Date.now();
    await expect(quick.complete({ messages: [{ role: "user", content: "hello" }] })).rejects.toMatchObject({ kind: "timeout", isRetryable: true });
    expect(sim.calls).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await expect(quick.complete({ messages: [{ role: "user", content: "hello" }], timeoutMs: 100 })).rejects.toMatchObject({ kind: "timeout" });
  });

  it("maps an unreachable endpoint to a connection error", async () => {
    const dead = new OpenAIChatModel({ baseURL: "http://127.0.0.1:1/v1", model: "m", maxRetries: 0 });
    await expect(dead.complete({ messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("is built from configuration and names what is missing", () => {
    expect(createChatModel({ llmBaseUrl: sim.baseURL, llmModel: "sim-chat", llmTimeoutMs: 1000, llmMaxRetries: 0, llmRetryBaseDelayMs: 10 }).model).toBe("sim-chat");
    expect(() => createChatModel({ llmModel: "x", llmTimeoutMs: 1000, llmMaxRetries: 0, llmRetryBaseDelayMs: 10 })).toThrow(/LLM_BASE_URL/);
    expect(() => createChatModel({ llmBaseUrl: sim.baseURL, llmTimeoutMs: 1000, llmMaxRetries: 0, llmRetryBaseDelayMs: 10 })).toThrow(/LLM_MODEL/);
  });
});
