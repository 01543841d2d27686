import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { buildCompiledVersion, initPromptsRepo, signatureField } from "../support/compiled-versions.js";
import { runCli, startServe, type ServeProcess } from "../support/cli.js";
import { shippedBaseline } from "../support/orchestrator.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const triage = (version: string) =>
  buildCompiledVersion({ name: "triage", version, inputs: [signatureField("ticketText", "the support ticket")], outputs: [signatureField("queue", "the queue")], instructions: `Route the ticket (v${version}).` });

describe("orchestrator over HTTP and the CLI", () => {
  let sim: Simulator;
  let serve: ServeProcess;
  let env: Record<string, string>;
  let repo: Awaited<ReturnType<typeof initPromptsRepo>>;
  const tmp = makeTempDir();

  beforeAll(async () => {
    sim = await startSimulator({
      bank: {
        families: [
          { id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, baseAccuracy: 1 },
          { id: "plan", match: { system: "You plan work", keywords: ["newsletter"] }, baseAccuracy: 1, answer: { subTasks: [{ id: "a", description: "Draft the intro", wave: 1, kind: "reason" }], rationale: "One part." } },
          { id: "intro", match: { system: "Solve only the sub-task", keywords: ["intro"] }, baseAccuracy: 1, answer: { answer: "Welcome!", confidence: 0.9 } },
          { id: "merge", match: { system: "Combine the sub-task results", keywords: ["newsletter"] }, baseAccuracy: 1, answer: { finalAnswer: "Welcome to the newsletter.", caveats: "" } },
        ],
      },
    });
    repo = await initPromptsRepo(`${tmp.dir}/repo`);
    for (const name of ["analyst", "worker", "synthesizer"]) await repo.commitVersion(await shippedBaseline(name));
    await repo.commitVersion(triage("1.0.0"));
    env = { META_AGENT_DATA_DIR: `${tmp.dir}/data`, META_AGENT_VERSIONS_DIR: repo.versionsDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "0", LOG_LEVEL: "warn", MODEL_PRICES: JSON.stringify({ "sim-*": { input: 1, output: 2 } }) };
    serve = await startServe(env, { cwd: tmp.dir });
  });
  afterAll(async () => {
    await serve?.stop();
    await sim?.close();
    tmp.remove();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${serve.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it("runs a signature with POST /v1/signatures/:name/run, picks up a promotion, and honours a pinned version", async () => {
    const first = await post("/v1/signatures/triage/run", { inputs: { ticketText: "refund me" } });
    expect(first).toMatchObject({ status: 200, body: { signature: "triage", version: "1.0.0", outputs: { queue: "billing" } } });
    expect(first.body.traceId).toEqual(expect.any(String));

    await repo.commitVersion(triage("1.1.0"));
    const promoted = await waitFor(async () => {
      const r = await post("/v1/signatures/triage/run", { inputs: { ticketText: "refund me again" } });
      return r.body.version === "1.1.0" ? r : undefined;
    }, { what: "the service to serve 1.1.0" });
    expect(promoted.status).toBe(200);
    const pinned = await post("/v1/signatures/triage/run", { inputs: { ticketText: "refund me" }, version: "1.0.0" });
    expect(pinned.body.version).toBe("1.0.0");

    // The trace is stored and its outcome can be reported later by id.
    const trace = await waitFor(async () => {
      const r = await fetch(`${serve.url}/v1/traces/${first.body.traceId}`);
      return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined;
    });
    expect(trace).toMatchObject({ signature: "triage", promptVersion: "1.0.0" });
    const outcome = await post(`/v1/traces/${first.body.traceId}/outcome`, { success: true, score: 1 });
    expect(outcome.status).toBe(200);
  });

  it("answers bad run requests with a 400 naming the field, and unknown signatures with a 404", async () => {
    const bad = await post("/v1/signatures/triage/run", { inputs: { ticket: "x" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("ticketText");
    const noInputs = await post("/v1/signatures/triage/run", { input: {} });
    expect(noInputs.status).toBe(400);
    expect(noInputs.body.error.message).toMatch(/inputs/);
    const unknown = await post("/v1/signatures/nope/run", { inputs: {} });
    expect(unknown.status).toBe(404);
  });

  it("runs a hierarchical task with POST /v1/tasks and its /submit alias, and reads it back with GET /v1/tasks/:id", async () => {
    const task = await post("/v1/tasks", { task_description: "Write the newsletter", total_budget_tokens: 20_000 });
    expect(task).toMatchObject({ status: 200, body: { status: "completed", answer: "Welcome to the newsletter.", budget: { total: 20_000, interrupted: false } } });
    expect(task.body.budget.used).toBeGreaterThan(0);
    expect(task.body.latencyMs).toBeGreaterThan(0);
    expect(task.body.traceTree.children.map((c: { role: string }) => c.role)).toEqual(["analyst", "worker", "synthesizer"]);
    const read = await fetch(`${serve.url}/v1/tasks/${task.body.id}`);
    expect(await read.json()).toMatchObject({ id: task.body.id, status: "completed", answer: "Welcome to the newsletter.", rootTraceId: task.body.rootTraceId });

    const submitted = await post("/submit", { task_description: "Write the newsletter", total_budget_tokens: 20_000 });
    expect(submitted.body.status).toBe("completed");
    const invalid = await post("/v1/tasks", { task_description: "", total_budget_tokens: -1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/task_description.*total_budget_tokens/);
    expect((await fetch(`${serve.url}/v1/tasks/does-not-exist`)).status).toBe(404);
  });

  it("runs a signature from the CLI, attached to the running service's database", async () => {
    const out = await runCli(["run", "triage", "--input", '{"ticketText":"refund from the cli"}', "--json"], env, { cwd: tmp.dir });
    expect(out.code, out.stderr).toBe(0);
    const run = JSON.parse(out.stdout) as { traceId: string; version: string; outputs: unknown };
    expect(run).toMatchObject({ version: "1.1.0", outputs: { queue: "billing" } });
    const stored = await fetch(`${serve.url}/v1/traces/${run.traceId}`);
    expect(stored.status).toBe(200);

    const pinned = await runCli(["run", "triage", "--input", '{"ticketText":"refund"}', "--version", "1.0.0"], env, { cwd: tmp.dir });
    expect(JSON.parse(pinned.stdout)).toEqual({ queue: "billing" });
    expect(pinned.stderr).toContain("triage@1.0.0");

    const bad = await runCli(["run", "triage", "--input", "{not json"], env, { cwd: tmp.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--input is not valid JSON");
  });

  it("gives every run a cost from model_prices and shows it in `report`", async () => {
    const run = await post("/v1/signatures/triage/run", { inputs: { ticketText: "refund, priced" } });
    const trace = await waitFor(async () => {
      const r = await fetch(`${serve.url}/v1/traces/${run.body.traceId}`);
      return r.status === 200 ? ((await r.json()) as { tokens: { prompt: number; completion: number }; costUsd?: number }) : undefined;
    });
    expect(trace.tokens.prompt).toBeGreaterThan(0);
    expect(trace.costUsd).toBeCloseTo((trace.tokens.prompt * 1 + trace.tokens.completion * 2) / 1e6, 12);

    const json = await runCli(["report", "--json", "--signature", "triage"], env, { cwd: tmp.dir });
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<{ version: string; runs: number; pricedRuns: number; totalCostUsd: number | null; avgCostUsd: number | null }>;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.pricedRuns, row.version).toBe(row.runs);
      expect(row.totalCostUsd, row.version).toBeGreaterThan(0);
      expect(row.avgCostUsd! * row.runs).toBeCloseTo(row.totalCostUsd!, 10);
    }
    const table = await runCli(["report", "--signature", "triage"], env, { cwd: tmp.dir });
    expect(table.stdout).toMatch(/cost USD.*avg cost USD.*quality\/USD/);
  });
});
