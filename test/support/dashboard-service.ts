// A running service seeded for dashboard tests: two tenants with keys, `acme` with a week of
// diagnosis traffic (tool calls, reasoning, model calls, costs; a flaky tool that fails runs)
// and a learning cycle that analyzed it and promoted a version; `globex` with its own agent and
// secrets that acme must never see. Real parts: embedded Postgres, a git prompts repository, the
// model simulator.
import { simulatedServiceConfig } from "./simulated-service.js";
import { silentLogger } from "../../src/log/logger.js";
import { startService, type Service, type StartServiceOptions } from "../../src/main.js";
import { createApiKey } from "../../src/tenancy/create-api-key.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createTestRepo, type TestRepo } from "./git-fixtures.js";
import { diskIncidentBank, diskIncidentReport } from "./learning-fixtures.js";
import { makeTempDir } from "./temp-dir.js";

export interface DashboardService {
  service: Service;
  sim: Simulator;
  repo: TestRepo;
  keys: { acme: string; globex: string };
  /** Ids of acme's traces whose flaky tool failed (and so the run). */
  failedTraceIds: string[];
  /** Id of globex's trace holding its secret. */
  globexTraceId: string;
  /** Calls the API as a tenant. */
  api(method: string, p: string, tenant: "acme" | "globex", body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

const DAY = 86_400_000;

/** acme's traffic: `n` runs spread over the last six days, every third one failing on get_logs. */
export function acmeTraces(n: number, now = Date.now()): { traces: unknown[]; failed: string[] } {
  const failed: string[] = [];
  const traces = Array.from({ length: n }, (_, i) => {
    const id = `acme-run-${String(i).padStart(3, "0")}`;
    const fails = i % 3 === 0;
    if (fails) failed.push(id);
    const startedAt = new Date(now - (i % 6) * DAY - 3_600_000 - i * 1000);
    const at = (ms: number) => new Date(startedAt.getTime() + ms).toISOString();
    return {
      id,
      agent: "diagnosis",
      signature: "diagnosis",
      promptVersion: "1.0.0",
      task: i % 2 === 0 ? "disk-incident" : "disk-incident-eu",
      input: { incidentReport: diskIncidentReport(i) },
      output: { rootCause: fails ? "unknown" : "disk full on node-3" },
      outcome: { success: !fails, ...(fails ? { feedback: "the logs never came back" } : {}) },
      startedAt: startedAt.toISOString(),
      endedAt: at(2_400),
      tokens: { prompt: 900, completion: 120 },
      costUsd: 0.0042,
      steps: [
        { type: "thinking", reasoning: "Pods were evicted; check the node's disk first.", toolChoice: "get_pods", startedAt: at(0) },
        { type: "tool_call", name: "get_pods", arguments: { namespace: `shop-${i}` }, success: true, response: "3 pods Evicted on node-3", durationMs: 300, startedAt: at(50) },
        fails
          ? { type: "tool_call", name: "get_logs", arguments: { pod: `web-${i}` }, success: false, error: "timeout after 30s", durationMs: 1500, startedAt: at(400) }
          : { type: "tool_call", name: "get_logs", arguments: { pod: `web-${i}` }, success: true, response: "No space left on device", durationMs: 700, startedAt: at(400) },
        { type: "llm_call", model: "sim-chat", tokens: { prompt: 900, completion: 120 }, durationMs: 450, startedAt: at(1_950) },
      ],
    };
  });
  return { traces, failed };
}

export async function startDashboardService(options: StartServiceOptions = {}): Promise<DashboardService> {
  const sim = await startSimulator({ bank: diskIncidentBank() });
  const repo = createTestRepo({ remote: true });
  const data = makeTempDir("meta-agent-ui-data-");
  const config = simulatedServiceConfig({ dataDir: data.dir, repoDir: repo.dir, simBaseURL: sim.baseURL });
  const service = await startService(config, silentLogger, options);
  const keys = { acme: (await createApiKey(service.db, { tenant: "acme" })).key, globex: (await createApiKey(service.db, { tenant: "globex" })).key };
  await new Promise((r) => setTimeout(r, 1_100)); // the "are there keys?" check is cached for 1 s
  const api = (method: string, p: string, tenant: "acme" | "globex", body?: unknown) =>
    fetch(`${service.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${keys[tenant]}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const expectOk = async (res: Response, what: string) => {
    if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const { traces, failed } = acmeTraces(48);
  await expectOk(await api("POST", "/v1/traces", "acme", { traces }), "ingest acme");
  const globexTraceId = "globex-secret-run";
  await expectOk(
    await api("POST", "/v1/traces", "globex", {
      traces: [{ id: globexTraceId, agent: "billing-bot", input: { invoice: "globex-secret invoice 4711" }, outcome: { success: true }, startedAt: new Date().toISOString(), steps: [] }],
    }),
    "ingest globex",
  );
  const cycle = await expectOk(await api("POST", "/v1/learning/cycles", "acme", {}), "learning cycle");
  const verdict = (cycle["verdicts"] as { signature: string; verdict: string; reason: string }[]).find((v) => v.signature === "diagnosis");
  if (verdict?.verdict !== "promoted") throw new Error(`the seeded cycle did not promote: ${JSON.stringify(cycle)}`);
  // A second cycle with nothing new: a decision that is not a promotion, with its reason.
  await expectOk(await api("POST", "/v1/learning/cycles", "acme", {}), "second learning cycle");
  return {
    service,
    sim,
    repo,
    keys,
    failedTraceIds: failed,
    globexTraceId,
    api,
    async close() {
      await service.close();
      await sim.close();
      repo.remove();
      data.remove();
    },
  };
}
