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
    sim = await startSimulator({
      bank: {
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
