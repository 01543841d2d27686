// Fault: the model endpoint answers 500s, hangs past the timeout, or sends garbage. Each run must
// fail cleanly (a JSON error, never a crash), be recorded as a failed trace naming the error, and
// the service must keep serving — the next run after the endpoint recovers succeeds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { buildCompiledVersion, initPromptsRepo, signatureField } from "../support/compiled-versions.js";
import { startServe, type ServeProcess } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

type Json = Record<string, any>;

describe("model endpoint faults against a running service", () => {
  let sim: Simulator;
  let serve: ServeProcess;
  const tmp = makeTempDir();

  beforeAll(async () => {
    sim = await startSimulator({ bank: { families: [{ id: "refund", match: { keywords: ["refund"] }, answer: { queue: "billing" }, baseAccuracy: 1 }] } });
    const repo = await initPromptsRepo(`${tmp.dir}/repo`);
    await repo.commitVersion(buildCompiledVersion({ name: "triage", version: "1.0.0", inputs: [signatureField("ticketText", "the support ticket")], outputs: [signatureField("queue", "the queue")], instructions: "Route the ticket." }));
    serve = await startServe(
      { META_AGENT_DATA_DIR: `${tmp.dir}/data`, META_AGENT_VERSIONS_DIR: repo.versionsDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "1", LLM_RETRY_BASE_DELAY_MS: "10", LLM_TIMEOUT_MS: "400", LOG_LEVEL: "silent" },
      { cwd: tmp.dir },
    );
  });
  afterAll(async () => {
    await serve?.stop();
    await sim?.close();
    tmp.remove();
  });

  const run = async (ticketText: string) => {
    const res = await fetch(`${serve.url}/v1/signatures/triage/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inputs: { ticketText } }) });
    return { status: res.status, body: (await res.json()) as Json };
  };

  const failedTrace = (ticketText: string) =>
    waitFor(async () => {
      const res = await fetch(`${serve.url}/v1/traces?signature=triage&success=false&limit=100`);
      const { traces } = (await res.json()) as { traces: Json[] };
      return traces.find((t) => t.input?.ticketText === ticketText);
    }, { what: `the failed trace of "${ticketText}"` });

  it.each([
    { fault: { mode: "http_500" as const }, code: /^llm_server$/ },
    { fault: { mode: "hang" as const, hangMs: 3_000 }, code: /^llm_timeout$/ },
    { fault: { mode: "garbage" as const }, code: /^llm_/ },
    { fault: { mode: "invalid_completion" as const }, code: /^llm_/ },
  ])("a run against $fault.mode fails with a JSON error, is recorded as failed, and the next run succeeds", async ({ fault, code }) => {
    sim.setFault(fault);
    const ticket = `refund please (${fault.mode})`;
    const failed = await run(ticket);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.body.error.code).toMatch(code);
    expect(JSON.stringify(failed.body)).not.toMatch(/ at .*\.(ts|js):\d+/); // no stack trace

    const trace = await failedTrace(ticket);
    expect(trace.outcome).toMatchObject({ success: false });
    expect(trace.metadata.error.code).toMatch(code);
    expect(trace.promptVersion).toBe("1.0.0");

    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    sim.clearFaults();
    const ok = await run("refund my order");
    expect(ok).toMatchObject({ status: 200, body: { outputs: { queue: "billing" } } });
  });

  it("survives a burst of concurrent runs against a failing endpoint", async () => {
    sim.setFault({ mode: "http_500", status: 503 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => run(`refund burst ${i}`)));
    expect(results.every((r) => r.status >= 500 && typeof r.body.error?.code === "string")).toBe(true);
    sim.clearFaults();
    expect((await run("refund after the burst")).status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
  });
});
