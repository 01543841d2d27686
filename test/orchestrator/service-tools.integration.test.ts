// Signatures with service tools, run over HTTP by the real service (embedded database, loopback),
// the model simulator answering through the real openai SDK: run_program in the Engineer's
// sandbox, search_library in the caller's tenant's library, the round limit, and the 422 for a
// tool the service does not have.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { indexLibrary } from "../../src/librarian/index-library.js";
import { createEmbedder } from "../../src/llm/create-embedder.js";
import { seedDataDir } from "../support/database-template.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

// The shipped examples (examples/service-tools/prompts/), run as they are.
const EXAMPLES = fileURLToPath(new URL("../../examples/service-tools/prompts", import.meta.url));

const FORECASTER = `name: forecaster
description: Plans trips around the weather.
inputs:
  - name: question
    description: The trip.
outputs:
  - name: plan
    description: The plan.
tools:
  - name: get_weather
    description: Weather at a place.
  - name: run_program
    description: Runs a JavaScript program.
  - name: book_hotel
    description: Books a hotel.
instructions: You plan trips.
`;

const BANK = {
  families: [
    // Two rounds of tool calls before the answer: the loop must feed each round's results back.
    { id: "sum", match: { system: "exact answers", regex: "sum of (\\d+) and (\\d+)" }, toolCalls: [{ name: "run_program", arguments: { code: "console.log($1 + $2)" } }], toolRounds: 2, answer: { answer: "computed" }, baseAccuracy: 1 },
    { id: "throws", match: { system: "exact answers", keywords: ["broken"] }, toolCalls: [{ name: "run_program", arguments: { code: "throw new TypeError('boom')" } }], answer: { answer: "the program failed" }, baseAccuracy: 1 },
    { id: "runaway", match: { system: "exact answers", keywords: ["forever"] }, toolCalls: [{ name: "run_program", arguments: { code: "console.log(1)" } }], toolRounds: "unbounded" as const, answer: { answer: "never" }, baseAccuracy: 1 },
    { id: "gateway", match: { system: "team's indexed documents", keywords: ["gateway"] }, toolCalls: [{ name: "search_library", arguments: { query: "when does the payment gateway restart" } }], answer: { answer: "It restarts nightly." }, baseAccuracy: 1 },
  ],
};

type RunBody = { traceId: string; outputs: Record<string, unknown>; usage: { promptTokens: number; completionTokens: number; totalTokens: number }; calls: number; toolCalls: { name: string; ok: boolean }[] };
type StoredStep = { type: string; name?: string; arguments?: Record<string, unknown>; success?: boolean; response?: string; error?: string; durationMs?: number; tokens?: { prompt: number; completion: number }; messages?: { role: string; toolCalls?: unknown[] }[] };
type StoredTrace = { id: string; outcome?: { success: boolean; feedback?: string }; tokens: { prompt: number; completion: number }; steps: StoredStep[]; metadata: Record<string, unknown> };

describe("signatures with service tools over HTTP", () => {
  const tmp = makeTempDir();
  let sim: Simulator;
  let service: Service;
  let keyA: string;
  let keyB: string;

  const call = (key: string, method: string, p: string, body?: unknown) =>
    fetch(`${service.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const run = async (key: string, name: string, question: string) => {
    const res = await call(key, "POST", `/v1/signatures/${name}/run`, { inputs: { question } });
    return { status: res.status, body: (await res.json()) as RunBody & { error?: { code: string; message: string; details?: Record<string, unknown> } } };
  };
  const storedTrace = async (key: string, id: string): Promise<StoredTrace> => {
    let trace: StoredTrace | undefined;
    await waitFor(async () => {
      const res = await call(key, "GET", `/v1/traces/${id}`);
      if (res.status !== 200) return false;
      trace = (await res.json()) as StoredTrace;
      return true;
    }, { what: `trace ${id}` });
    return trace!;
  };

  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    const prompts = path.join(tmp.dir, "prompts");
    mkdirSync(prompts);
    for (const name of ["calculator.yaml", "researcher.yaml"]) copyFileSync(path.join(EXAMPLES, name), path.join(prompts, name));
    writeFileSync(path.join(prompts, "forecaster.yaml"), FORECASTER);
    const config = loadConfig({
      env: { META_AGENT_DATA_DIR: path.join(tmp.dir, "data"), PORT: "0", META_AGENT_PROMPTS_DIR: prompts, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LEARNING_INTERVAL: "86400", EMBEDDER: "hash", CACHE_ENABLED: "true", ORCHESTRATOR_TOOL_MAX_ROUNDS: "3" },
      cwd: tmp.dir,
    });
    seedDataDir(config.dataDir);
    service = await startService(config, silentLogger);
    keyA = (await createApiKey(service.db, { tenant: "acme" })).key;
    keyB = (await createApiKey(service.db, { tenant: "globex" })).key;
    await new Promise((r) => setTimeout(r, 1_100)); // the key check caches for 1 s
    // Two tenants, each with its own runbook about the same gateway.
    for (const [tenant, text] of [
      ["acme", "# Acme runbook\n\nThe acme payment gateway restarts nightly at 03:00 to rotate its certificates.\n"],
      ["globex", "# Globex runbook\n\nThe globex payment gateway restarts every Sunday at noon after the backup.\n"],
    ] as const) {
      const docs = path.join(tmp.dir, tenant);
      mkdirSync(docs);
      writeFileSync(path.join(docs, "runbook.md"), text);
      await indexLibrary({ db: service.db, embedder: createEmbedder(config) }, { tenant, dir: docs, baseDir: tmp.dir });
    }
  });
  afterAll(async () => {
    await service?.close();
    await sim?.close();
    tmp.remove();
  });

  it("runs run_program in the sandbox through the model's tool calls, and the trace has each tool_call step and the tokens of every round", async () => {
    const chatCallsBefore = sim.calls.length;
    const { status, body } = await run(keyA, "calculator", "What is the sum of 17 and 25?");
    expect(status).toBe(200);
    expect(body.outputs).toEqual({ answer: "computed" });
    // Two rounds of tool calls, then the answer: three model calls, two sandbox runs.
    expect(body.calls).toBe(3);
    expect(body.toolCalls).toEqual([{ name: "run_program", ok: true }, { name: "run_program", ok: true }]);
    const requests = sim.calls.slice(chatCallsBefore).filter((c) => c.endpoint === "chat");
    expect(requests).toHaveLength(3);
    // The tools went out as OpenAI `tools`, each round's results came back as `role: tool` messages.
    const last = requests[2]!.body as { tools: { function: { name: string; description: string } }[]; messages: { role: string; content: string; tool_call_id?: string }[] };
    expect(last.tools.map((t) => t.function.name)).toEqual(["run_program"]);
    expect(last.tools[0]!.function.description).toBe("Runs a JavaScript program in a sandbox and returns what it printed.");
    expect(last.messages.filter((m) => m.role === "tool").map((m) => m.content)).toEqual(["42", "42"]);

    const trace = await storedTrace(keyA, body.traceId);
    expect(trace.steps.map((s) => s.type)).toEqual(["llm_call", "tool_call", "llm_call", "tool_call", "llm_call"]);
    const tools = trace.steps.filter((s) => s.type === "tool_call");
    for (const step of tools) {
      expect(step).toMatchObject({ name: "run_program", arguments: { code: "console.log(17 + 25)" }, success: true, response: "42" });
      expect(step.durationMs).toBeGreaterThan(0);
    }
    const rounds = trace.steps.filter((s) => s.type === "llm_call");
    expect(rounds.every((s) => (s.tokens?.prompt ?? 0) > 0)).toBe(true);
    const sum = rounds.reduce((a, s) => ({ prompt: a.prompt + s.tokens!.prompt, completion: a.completion + s.tokens!.completion }), { prompt: 0, completion: 0 });
    expect(trace.tokens).toEqual(sum);
    expect(body.usage).toMatchObject({ promptTokens: sum.prompt, completionTokens: sum.completion });
    expect(trace.metadata).toMatchObject({ toolRounds: 2 });
  });

  it("answers a failing program to the model as an error and records the failed tool call", async () => {
    const { status, body } = await run(keyA, "calculator", "This broken sum needs a program");
    expect(status).toBe(200);
    expect(body.toolCalls).toEqual([{ name: "run_program", ok: false }]);
    const trace = await storedTrace(keyA, body.traceId);
    const step = trace.steps.find((s) => s.type === "tool_call")!;
    expect(step).toMatchObject({ name: "run_program", success: false, error: expect.stringContaining("TypeError: boom") });
  });

  it("search_library reads only the caller's tenant's library", async () => {
    const acme = await run(keyA, "researcher", "When does the payment gateway restart?");
    const globex = await run(keyB, "researcher", "When does the payment gateway restart?");
    expect([acme.status, globex.status]).toEqual([200, 200]);
    const acmeStep = (await storedTrace(keyA, acme.body.traceId)).steps.find((s) => s.type === "tool_call")!;
    const globexStep = (await storedTrace(keyB, globex.body.traceId)).steps.find((s) => s.type === "tool_call")!;
    expect(acmeStep).toMatchObject({ name: "search_library", success: true, arguments: { query: "when does the payment gateway restart" } });
    const acmePassages = (JSON.parse(acmeStep.response!) as { passages: { documentId: string; citation: string; text: string }[] }).passages;
    const globexPassages = (JSON.parse(globexStep.response!) as { passages: { documentId: string; text: string }[] }).passages;
    expect(acmePassages.length).toBeGreaterThan(0);
    expect(globexPassages.length).toBeGreaterThan(0);
    expect(acmePassages.every((p) => p.text.includes("acme") && !p.text.includes("globex"))).toBe(true);
    expect(globexPassages.every((p) => p.text.includes("globex") && !p.text.includes("acme"))).toBe(true);
    expect(acmePassages[0]!.citation).toMatch(/^acme\/runbook\.md, chunk 0$/);
    // Document ids are the tenant's own: none is shared.
    expect(acmePassages.some((p) => globexPassages.some((q) => q.documentId === p.documentId))).toBe(false);
    // The other tenant cannot read the trace either.
    expect((await call(keyB, "GET", `/v1/traces/${acme.body.traceId}`)).status).toBe(404);
  });

  it("stops a model that never stops calling tools at the round limit, with a clear error and a failed trace", async () => {
    const chatCallsBefore = sim.calls.filter((c) => c.endpoint === "chat").length;
    const res = await call(keyA, "POST", "/v1/signatures/calculator/run", { inputs: { question: "Keep computing forever" } });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("tool_rounds_exhausted");
    expect(body.error.message).toMatch(/still calling tools \(run_program\) after 3 round\(s\).*tool_max_rounds/);
    // Three rounds answered, the fourth request for tools refused: four model calls.
    expect(sim.calls.filter((c) => c.endpoint === "chat").length - chatCallsBefore).toBe(4);
    const stopped = await waitFor(async () => {
      const list = (await (await call(keyA, "GET", "/v1/traces?signature=calculator&success=false&limit=50")).json()) as { traces: { id: string; metadata?: { error?: { code?: string } } }[] };
      return list.traces.find((t) => t.metadata?.error?.code === "tool_rounds_exhausted");
    }, { what: "the stopped run's trace" });
    const failed = await storedTrace(keyA, stopped.id);
    expect(failed.outcome).toMatchObject({ success: false, feedback: expect.stringContaining("after 3 round(s)") });
    expect(failed.steps.filter((s) => s.type === "tool_call")).toHaveLength(3);
    expect(failed.steps.filter((s) => s.type === "llm_call")).toHaveLength(4);
    expect(failed.metadata).toMatchObject({ toolRounds: 3 });
    expect(failed.tokens.prompt).toBe(failed.steps.filter((s) => s.type === "llm_call").reduce((n, s) => n + s.tokens!.prompt, 0));
  });

  it("refuses a signature declaring tools the service does not have with 422, naming exactly those and pointing to the SDK", async () => {
    const chatCallsBefore = sim.calls.length;
    const { status, body } = await run(keyA, "forecaster", "Two days in Lisbon");
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: "signature_tools_unavailable", details: { missing: ["get_weather", "book_hotel"], mismatched: [] } });
    expect(body.error!.message).toMatch(/does not have: get_weather, book_hotel \(the service's tools: run_program, search_library\)/);
    expect(body.error!.message).not.toMatch(/run_program,.*run_program/);
    expect(body.error!.message).toContain("runSignature(prompt, inputs, { openai, tools })");
    expect(sim.calls.length).toBe(chatCallsBefore);
  });
});
