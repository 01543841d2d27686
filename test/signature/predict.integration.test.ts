// predict and llm_judge against the model simulator through the real openai SDK adapter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { InvalidModelOutputError, predict } from "../../src/signature/predict.js";
import { llmJudge } from "../../src/compiler/metrics/llm-judge.js";
import { createBudget, CompileBudgetExceededError } from "../../src/compiler/budget.js";
import type { Example } from "../../src/compiler/example.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const ANSWER = { faultDetected: true, faultType: "code_bug", rootCause: "the entrypoint exits", nextTools: ["get_logs"] };

describe("predict and llm_judge on the simulator", () => {
  let sim: Simulator;
  let model: OpenAIChatModel;
  beforeAll(async () => {
    // An endpoint without structured outputs: predict falls back to json_object, and the repair turn is the net.
    sim = await startSimulator({
      bank: {
        structuredOutputs: "json_object",
        families: [
          { id: "crashloop", match: { keywords: ["CrashLoopBackOff"] }, answer: ANSWER, malformedFirst: "missing_field", fixedBy: ["crashloop"] },
          { id: "bad-json", match: { keywords: ["certificate expired"] }, answer: { ...ANSWER, faultType: "misconfiguration" }, malformedFirst: "invalid_json", fixedBy: ["certificate"] },
          { id: "mitigate-oom", match: { keywords: ["OOMKilled"] }, answer: { command: "kubectl set resources" }, wrongAnswer: { command: "kubectl delete namespace" } },
        ],
      },
    });
    model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
  });
  afterAll(() => sim?.close());

  it("repairs an answer with a missing field by telling the model which field is wrong", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const prediction = await predict(model, baselineVersion(signature), { problemDescription: "pod api-7 in CrashLoopBackOff" });
    expect(prediction).toMatchObject({ outputs: ANSWER, calls: 2, repaired: true });
    const repair = prediction.messages.at(-2)!;
    expect(repair.role).toBe("user");
    expect(repair.content).toContain("nextTools: is required");
    expect(prediction.usage.promptTokens).toBeGreaterThan(0);
  });

  it("repairs an answer that is not valid JSON", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const prediction = await predict(model, baselineVersion(signature), { problemDescription: "TLS certificate expired on ingress" });
    expect(prediction.repaired).toBe(true);
    expect(prediction.messages.at(-2)!.content).toMatch(/not valid JSON/);
    expect(prediction.outputs.faultType).toBe("misconfiguration");
  });

  it("fails with the problems when no repair is allowed, and rejects bad inputs before calling the model", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const version = baselineVersion(signature);
    const err = await predict(model, version, { problemDescription: "CrashLoopBackOff again" }, { repairs: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidModelOutputError);
    expect(err.message).toMatch(/nextTools/);
    const before = sim.calls.length;
    await expect(predict(model, version, { problemDescription: 42 })).rejects.toThrow(/inputs of diagnosis: problemDescription: expected a string/);
    await expect(predict(model, version, { problem: "x" })).rejects.toThrow(/problemDescription: expected a string; .*problem/);
    expect(sim.calls.length).toBe(before);
  });

  it("llm_judge scores a prediction with the model against a rubric", async () => {
    const judge = llmJudge(model, "Score 1 when the command fixes the memory limit safely, 0 otherwise.");
    const example: Example = { id: "t", input: { problemDescription: "pod OOMKilled" }, output: null, success: null, score: null, feedback: null, startedAt: "2026-01-01T00:00:00Z" };
    expect((await judge.score(example, { command: "kubectl set resources" })).score).toBe(1);
    expect((await judge.score(example, { command: "kubectl delete namespace" })).score).toBe(0);
  });

  it("a budget refuses the call after the limit and counts tokens", async () => {
    const budget = createBudget({ maxCalls: 1 });
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const limited = budget.wrap(model);
    await predict(limited, baselineVersion(signature), { problemDescription: "CrashLoopBackOff" }).catch((e) => e);
    expect(budget.spend()).toMatchObject({ llmCalls: 1, exhausted: true, maxLlmCalls: 1 });
    expect(budget.spend().tokens).toBeGreaterThan(0);
    await expect(limited.complete({ messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(CompileBudgetExceededError);
  });
});

describe("structured outputs and prefix caching on a vLLM-like endpoint", () => {
  let sim: Simulator;
  const families = [
    { id: "crashloop", match: { keywords: ["CrashLoopBackOff"] }, answer: ANSWER, malformedFirst: "missing_field" as const, baseAccuracy: 1 },
    { id: "bad-json", match: { keywords: ["certificate expired"] }, answer: { ...ANSWER, faultType: "misconfiguration" }, malformedFirst: "invalid_json" as const, baseAccuracy: 1 },
    // Its wrong answer ("unknown", null) breaks the schema: constrained decoding still emits a valid one.
    { id: "wrong", match: { keywords: ["disk pressure"] }, answer: ANSWER, baseAccuracy: 0 },
  ];
  beforeAll(async () => {
    sim = await startSimulator({ bank: { families, prefixCaching: true } });
  });
  afterAll(() => sim?.close());

  it("sends the outputs as a strict json_schema, so answers that would need a repair parse at once", async () => {
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    const version = baselineVersion((await loadSignature(PROMPTS, "diagnosis")).signature);
    for (const problemDescription of ["pod api-7 in CrashLoopBackOff", "TLS certificate expired on ingress"]) {
      const prediction = await predict(model, version, { problemDescription });
      expect(prediction, problemDescription).toMatchObject({ calls: 1, repaired: false, responseFormat: "json_schema" });
      expect(prediction.outputs.rootCause).toBe(ANSWER.rootCause);
    }
    expect(await predict(model, version, { problemDescription: "node under disk pressure" })).toMatchObject({ calls: 1, repaired: false, outputs: { faultType: "misconfiguration" } });
    const sent = sim.calls.at(-1)!.body as { response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[]; additionalProperties: boolean } } } };
    expect(sent.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "diagnosis", strict: true, schema: { additionalProperties: false } } });
    expect(sent.response_format.json_schema.schema.required).toEqual(version.outputs.map((f) => f.name));
    expect(model.structuredOutputs()).toBe("json_schema");
  });

  it("falls back to json_object once an endpoint refuses json_schema, remembers it, and repairs as before", async () => {
    const plain = await startSimulator({ bank: { families, structuredOutputs: "json_object" } });
    try {
      const model = new OpenAIChatModel({ baseURL: plain.baseURL, model: "sim-chat", maxRetries: 0 });
      const version = baselineVersion((await loadSignature(PROMPTS, "diagnosis")).signature);
      const first = await predict(model, version, { problemDescription: "pod api-7 in CrashLoopBackOff" });
      expect(first).toMatchObject({ outputs: ANSWER, calls: 2, repaired: true, responseFormat: "json_object" });
      expect(plain.calls.map((c) => c.status)).toEqual([400, 200, 200]);
      expect(model.structuredOutputs()).toBe("json_object");
      await predict(model, version, { problemDescription: "TLS certificate expired on ingress" });
      // No second refusal: the choice is remembered for the endpoint's model.
      expect(plain.calls.filter((c) => c.status === 400)).toHaveLength(1);
      expect((plain.calls.at(-1)!.body as { response_format: { type: string } }).response_format.type).toBe("json_object");
    } finally {
      await plain.close();
    }
  });

  it("refuses a strict schema that is not closed, as a strict server does", async () => {
    const res = await fetch(`${sim.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "sim-chat", messages: [{ role: "user", content: "hi" }], response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema: { type: "object", properties: { a: { type: "string" } }, required: [] } } } }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/additionalProperties must be false/);
  });

  it("keeps the stable part of the prompt first, so a prefix cache serves it to every later call", async () => {
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    const version = baselineVersion((await loadSignature(PROMPTS, "diagnosis")).signature);
    const a = await predict(model, version, { problemDescription: "pod web-1 in CrashLoopBackOff" });
    const b = await predict(model, version, { problemDescription: "pod web-2 in CrashLoopBackOff" });
    expect(a.usage.cachedPromptTokens ?? 0).toBeGreaterThan(0); // earlier tests sent the same system prompt
    expect(b.usage.cachedPromptTokens).toBeGreaterThan(0);
    expect(b.usage.cachedPromptTokens!).toBeLessThan(b.usage.promptTokens);
    // Everything but the inputs is shared: the system message holds instructions, guidelines and the schema.
    expect(b.usage.promptTokens - b.usage.cachedPromptTokens!).toBeLessThan(40);
  });
});

