// The SDK end to end: decorators, wrappers and the manual API record through the real
// in-process sink into the embedded database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import {
  traceAgent, traceTool, recordThinking, setOutcome, setProblemContext, recordLlmCall, currentTraceId,
  collectAgentTrace, addToolCall, addThinkingStep, endAgentTrace, type TraceSink,
} from "../../src/index.js";
import { createInProcessSink } from "../../src/server.js";
import { getTrace } from "../../src/collector/query/get-trace.js";

let t: TestDatabase;
let sink: TraceSink;
beforeAll(async () => {
  t = await createTestDatabase();
  sink = createInProcessSink(t.db);
});
afterAll(async () => {
  await sink?.close();
  await t?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stored = (id: string) => getTrace(t.db.pool, "default", id);

class ClusterTools {
  calls = 0;
  @traceTool()
  async get_pods(args: { namespace: string }) {
    this.calls++;
    await sleep(5);
    return `pods in ${args.namespace}: 5 running`;
  }
  @traceTool("get_logs")
  async logs(pod: string, lines: number) {
    await sleep(1);
    if (pod === "broken") throw new Error(`pod ${pod} not found`);
    return { pod, lines, text: "OOMKilled" };
  }
}


function makeAgent(s: TraceSink) {
  class Agent {
    readonly tools = new ClusterTools();
    ids: string[] = [];
    @traceAgent("diagnosis", { sink: s, signature: "diagnosis_sig", promptVersion: "1.0.0" })
    async run(problem: { id: string; namespace: string; pod: string }) {
      this.ids.push(currentTraceId()!);
      setProblemContext({ id: problem.id, namespace: problem.namespace, appName: "hotel" });
      recordThinking("check the pods first", { toolChoice: "get_pods", justification: "visibility" });
      await this.tools.get_pods({ namespace: problem.namespace });
      recordLlmCall({ model: "qwen", tokens: { prompt: 10, completion: 5 }, durationMs: 12 });
      try {
        await this.tools.logs(problem.pod, 50);
      } catch {
        setOutcome({ success: false, score: 0.2, feedback: "could not read logs" });
      }
      return { diagnosis: `${problem.pod} is OOMKilled` };
    }
  }
  return new Agent();
}

describe("decorators on a class", () => {
  it("records a run with its tool calls, thinking and LLM steps, and leaves the return value untouched", async () => {
    const agent = makeAgent(sink);
    const result = await agent.run({ id: "p1", namespace: "hotel", pod: "db-0" });
    expect(result).toEqual({ diagnosis: "db-0 is OOMKilled" });
    await sink.flush();
    const trace = await stored(agent.ids[0]!);
    expect(trace).toMatchObject({
      agent: "diagnosis", signature: "diagnosis_sig", promptVersion: "1.0.0",
      problem: { id: "p1", namespace: "hotel", appName: "hotel" },
      input: { id: "p1", namespace: "hotel", pod: "db-0" }, output: result,
      outcome: { success: true }, tokens: { prompt: 10, completion: 5 },
    });
    expect(trace.steps.map((s) => s.type)).toEqual(["thinking", "tool_call", "llm_call", "tool_call"]);
    expect(trace.steps[1]).toMatchObject({ name: "get_pods", arguments: { namespace: "hotel" }, success: true, response: "pods in hotel: 5 running" });
    expect(trace.steps[3]).toMatchObject({ name: "get_logs", arguments: { args: ["db-0", 50] }, success: true });
    expect(agent.tools.calls).toBe(1);
  });

  it("records a tool that throws as a failed step and re-throws the same error", async () => {
    const agent = makeAgent(sink);
    await agent.run({ id: "p2", namespace: "hotel", pod: "broken" });
    const tools = new ClusterTools();
    const err = await tools.logs("broken", 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    await sink.flush();
    const trace = await stored(agent.ids[0]!);
    expect(trace.steps[3]).toMatchObject({ type: "tool_call", name: "get_logs", success: false, error: "pod broken not found" });
    expect(trace.outcome).toEqual({ success: false, score: 0.2, feedback: "could not read logs" });
  });

  it("keeps concurrent runs apart: each trace holds only its own tool calls", async () => {
    const agent = makeAgent(sink);
    const problems = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, namespace: `ns-${i}`, pod: i % 3 === 0 ? "broken" : `pod-${i}` }));
    await Promise.all(problems.map((p) => agent.run(p)));
    await sink.flush();
    for (const [i, id] of agent.ids.entries()) {
      const trace = await stored(id);
      const ns = (trace.input as { namespace: string }).namespace;
      expect(trace.steps).toHaveLength(4);
      expect(trace.steps[1]).toMatchObject({ arguments: { namespace: ns } });
      expect(trace.problem?.namespace).toBe(ns);
      void i;
    }
    expect(new Set(agent.ids).size).toBe(20);
  });
});

describe("wrappers on plain functions", () => {
  it("traces a function agent, links sub-agents by parentTraceId and records a thrown error as a failure", async () => {
    const getPods = traceTool("get_pods", async (ns: string) => `5 pods in ${ns}`);
    const sub = traceAgent("localization", async (ns: string) => getPods(ns), { sink });
    let outerId = "";
    let subId = "";
    const diagnose = traceAgent(
      "diagnosis",
      async (ns: string) => {
        outerId = currentTraceId()!;
        await getPods(ns);
        const inner = traceAgent("probe", () => (subId = currentTraceId()!), { sink });
        inner();
        await sub(ns);
        if (ns === "bad") throw new TypeError("no such namespace");
        return "ok";
      },
      { sink },
    );
    expect(await diagnose("hotel")).toBe("ok");
    const e = await diagnose("bad").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe("no such namespace");
    await sink.flush();
    const failed = await stored(outerId);
    expect(failed.outcome).toEqual({ success: false, feedback: "no such namespace" });
    expect(failed.steps.map((s) => (s.type === "tool_call" ? s.name : s.type))).toEqual(["get_pods"]); // the sub-agent's get_pods belongs to the sub-agent's trace
    const probe = await stored(subId);
    expect(probe.parentTraceId).toBe(outerId);
    expect(await getPods("outside")).toBe("5 pods in outside");
  });

  it("passes synchronous return values and throws straight through", () => {
    const add = traceAgent("adder", (a: number, b: number) => a + b, { sink });
    expect(add(2, 3)).toBe(5);
    const boom = traceAgent("boom", () => {
      throw new RangeError("x");
    }, { sink });
    expect(() => boom()).toThrow(RangeError);
  });
});

describe("manual API (seed 003)", () => {
  it("collects a trace by id from tool calls and thinking steps", async () => {
    const id = collectAgentTrace({ traceId: `manual-${Date.now()}`, agent: "diagnosis", problemContext: { id: "problem_123", appName: "hotel-reservation", namespace: "hotel-reservation" }, sink });
    expect(addToolCall(id, { name: "get_pods", arguments: { namespace: "hotel-reservation" }, success: true, response: "Found 5 pods running", durationMs: 1200 })).toBe(true);
    expect(addThinkingStep(id, { reasoning: "I need to check pod status first", toolChoice: "get_pods", justification: "visibility" })).toBe(true);
    expect(endAgentTrace(id, { success: true, finalSubmission: "Database connection issue identified" })).toBe(true);
    expect(endAgentTrace(id, { success: true })).toBe(false);
    await sink.flush();
    const trace = await stored(id);
    expect(trace).toMatchObject({ agent: "diagnosis", output: "Database connection issue identified", outcome: { success: true }, problem: { id: "problem_123" } });
    expect(trace.steps).toMatchObject([{ type: "tool_call", name: "get_pods", durationMs: 1200 }, { type: "thinking" }]);
  });
});
