// The doors of evaluation and canaries over HTTP: GET /v1/canaries (the shape the dashboard
// reads) with live evidence, POST /v1/canaries/check deciding with a commit, the decision in the
// version history and GET /v1/versions; POST /v1/signatures/:name/eval answering a report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, compiledVersion, git, type TestRepo } from "../support/git-fixtures.js";
import { silentLogger } from "../../src/log/logger.js";
import { createApp } from "../../src/http/app.js";
import { versionRoutes } from "../../src/http/routes/versions.js";
import { canaryRoutes } from "../../src/http/routes/canaries.js";
import { evalRoutes } from "../../src/http/routes/eval.js";
import { createRegistryDeps } from "../../src/registry/registry-deps.js";
import { startCanary } from "../../src/registry/canary/start-canary.js";
import { ingestTraces } from "../../src/collector/ingest/ingest-traces.js";
import { listCanaryRows } from "../../src/ui/canary-rows.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createChatModel } from "../../src/llm/create-chat-model.js";

const SETTINGS = { share: 0.2, confidence: 0.95, effectSize: 0.1, minRuns: 20, maxRuns: 2000, maxDurationSeconds: 86400, maxLatencyIncrease: 0.5, maxCostIncrease: 1, objective: "quality" as const, tokenPenalty: 0.05 };

describe("canaries and evaluation over HTTP", () => {
  let t: TestDatabase;
  let repo: TestRepo;
  let sim: Simulator;
  let server: Server;
  let base: string;
  let canaryId: string;

  beforeAll(async () => {
    repo = createTestRepo();
    sim = await startSimulator({ bank: { families: [{ id: "oom", match: { keywords: ["oomkilled"] }, answer: { rootCause: "memory limit too low" }, baseAccuracy: 0.5 }] } });
    t = await createTestDatabase({ PROMPTS_REPO_DIR: repo.dir, META_AGENT_PROMPTS_DIR: path.join(repo.dir, "prompts"), META_AGENT_VERSIONS_DIR: path.join(repo.dir, "versions"), LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat" });
    const registry = await createRegistryDeps(t.config, t.db, silentLogger, { cwd: repo.dir });
    const canary = await startCanary(registry, {
      tenant: "default",
      candidate: compiledVersion({ version: "1.1.0", parent: "1.0.0", instructions: "Check memory limits first." }),
      incumbent: compiledVersion(),
      settings: SETTINGS,
      summary: "gate passed",
    });
    canaryId = canary.id;
    const app = createApp({
      logger: silentLogger,
      health: { isReady: async () => true, isShuttingDown: () => false },
      routers: [
        versionRoutes(registry),
        canaryRoutes({ db: t.db, registry, logger: silentLogger, rollout: "canary" }),
        evalRoutes({ db: t.db, store: registry.store, model: createChatModel(t.config), promptsDir: path.join(repo.dir, "prompts"), holdoutFraction: 0, settings: { objective: { objective: "quality", tokenPenalty: 0 }, prices: { prompt: 0, completion: 0 } } }),
      ],
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await sim?.close();
    await t?.close();
    repo?.remove();
  });

  /** Runs of one arm as the orchestrator records them, with outcomes. */
  const runs = (arm: "incumbent" | "candidate", version: string, successes: number, failures: number) =>
    Array.from({ length: successes + failures }, (_, i) => ({
      id: randomUUID(),
      agent: "diagnosis",
      signature: "diagnosis",
      promptVersion: version,
      input: { incidentReport: `pod ${i} OOMKilled` },
      output: { rootCause: "x" },
      outcome: { success: i < successes },
      startedAt: new Date(Date.now() - 1000).toISOString(),
      endedAt: new Date().toISOString(),
      tokens: { prompt: 300, completion: 20 },
      metadata: { canary: { id: canaryId, arm } },
    }));

  it("shows a running canary with live evidence per arm, and in GET /v1/versions", async () => {
    await ingestTraces(t.db.forTenant("default").pool, "default", [...runs("incumbent", "1.0.0", 30, 30), ...runs("candidate", "1.1.0", 8, 2)]);
    const body = (await (await fetch(`${base}/v1/canaries`)).json()) as { rollout: string; canaries: { id: string; status: string; evidence: { incumbent: { labelled: number; successes: number }; candidate: { labelled: number } } }[] };
    expect(body.rollout).toBe("canary");
    expect(body.canaries).toHaveLength(1);
    expect(body.canaries[0]).toMatchObject({ id: canaryId, signature: "diagnosis", incumbentVersion: "1.0.0", candidateVersion: "1.1.0", status: "running", decision: null, settings: SETTINGS });
    expect(body.canaries[0]!.evidence.incumbent).toMatchObject({ labelled: 60, successes: 30, successRate: 0.5, tokensPerRun: 320 });
    expect(body.canaries[0]!.evidence.candidate.labelled).toBe(10);
    const versions = (await (await fetch(`${base}/v1/versions`)).json()) as { canaries: { id: string }[] };
    expect(versions.canaries.map((c) => c.id)).toEqual([canaryId]);
    // Too few candidate runs to decide yet.
    const check = (await (await fetch(`${base}/v1/canaries/check`, { method: "POST" })).json()) as { checks: { action: string }[] };
    expect(check.checks.map((c) => c.action)).toEqual(["running"]);
    // The dashboard's versions page reads the same listing, as rows a person reads.
    const [row] = await listCanaryRows({ db: t.db }, "default");
    expect(row).toMatchObject({ signature: "diagnosis", incumbent: "1.0.0", candidate: "1.1.0", status: "running", share: "20 %", "incumbent success": "50.0 % (30/60 of 60 runs)", "candidate success": "80.0 % (8/10 of 10 runs)", decision: "running" });
    expect(row!["difference (pts)"]).toMatch(/^30\.0 \[-?\d+\.\d, \d+\.\d\]$/);
  });

  it("decides on POST /v1/canaries/check, commits the evidence, and shows the decision everywhere", async () => {
    await ingestTraces(t.db.forTenant("default").pool, "default", runs("candidate", "1.1.0", 29, 1));
    const check = (await (await fetch(`${base}/v1/canaries/check`, { method: "POST" })).json()) as { checks: { action: string; status: string; decision: { rule: string } }[] };
    expect(check.checks[0]).toMatchObject({ action: "decided", status: "promoted", decision: { rule: "sequential_test" } });
    const one = (await (await fetch(`${base}/v1/canaries/${canaryId}`)).json()) as { status: string; commitSha: string; decision: { evidence: { candidate: { successes: number } } } };
    expect(one.status).toBe("promoted");
    expect(one.decision.evidence.candidate.successes).toBe(37);
    expect(git(repo.dir, "log", "-1", "--format=%H", "main").trim()).toBe(one.commitSha);
    const history = (await (await fetch(`${base}/v1/versions/diagnosis`)).json()) as { versions: { version: string; status: string; current: boolean; canary?: { outcome: string } }[] };
    expect(history.versions.find((v) => v.version === "1.1.0")).toMatchObject({ status: "active", current: true, canary: { outcome: "promoted" } });
    expect((await fetch(`${base}/v1/canaries/${randomUUID()}`)).status).toBe(404);
  });

  it("POST /v1/signatures/:name/eval answers the harness report", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ input: { incidentReport: `pod api-${i} OOMKilled` }, expected: { rootCause: "memory limit too low" } }));
    const res = await fetch(`${base}/v1/signatures/diagnosis/eval`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ items, versions: ["baseline", "served"], seed: 3 }) });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { versions: { label: string; version: string; items: number }[]; comparisons: unknown[] };
    expect(report.versions.map((v) => [v.label, v.version, v.items])).toEqual([["baseline", "1.0.0", 20], ["served", "1.1.0", 20]]);
    expect(report.comparisons).toHaveLength(1);
    const bad = await fetch(`${base}/v1/signatures/diagnosis/eval`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ items, fromTraces: true }) });
    expect(bad.status).toBe(400);
  }, 60_000);
});
