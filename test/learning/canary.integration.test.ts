// Canary releases end to end on the simulator, a real git repository and the embedded database:
// a worse candidate is rolled back by itself with nothing lost and the incumbent served again; a
// better one is promoted; an equal one stops undecided at canary_max_runs; two service instances
// share one canary and decide once; a canary survives a restart of the service.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { createOrchestrator, type Orchestrator } from "../../src/orchestrator/create-orchestrator.js";
import { createRegistryDeps } from "../../src/registry/registry-deps.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { parseSignature } from "../../src/domain/signature.js";
import type { CompiledVersion } from "../../src/domain/compiled-version.js";
import { startCanary } from "../../src/registry/canary/start-canary.js";
import { canaryPolicyFrom } from "../../src/registry/canary/canary-policy.js";
import { listCanaries } from "../../src/registry/canary/canary-store.js";
import { checkCanaries, type CheckCanariesDeps } from "../../src/learning/canary/check-canaries.js";
import { setTraceOutcome } from "../../src/collector/query/set-trace-outcome.js";
import { listMirror } from "../../src/registry/version-mirror.js";
import { ensureTenant } from "../../src/tenancy/ensure-tenant.js";
import { silentLogger } from "../../src/log/logger.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, git as gitIn, type TestRepo } from "../support/git-fixtures.js";
import { waitFor } from "../support/wait-for.js";

const NAME = "ticket_routing";
const SOURCE = `name: ${NAME}
description: Routes a support ticket to a queue.
inputs:
  - name: ticketText
    description: The customer's message.
outputs:
  - name: queue
    description: Queue that handles it.
instructions: Route the ticket.
`;
// The incumbent answers 60 % of tickets right. Guidelines plant the candidates: one that answers
// 10 % right, one 95 %, and one that only makes the prompt longer.
const BANK = {
  families: [
    {
      id: "tickets",
      match: { keywords: ["ticket #"] },
      answer: { queue: "billing" },
      wrongAnswer: { queue: "technical" },
      baseAccuracy: 0.6,
      accuracyWhen: [
        { phrase: "prefer the technical queue", accuracy: 0.1 },
        { phrase: "look for invoice words", accuracy: 0.95 },
      ],
    },
  ],
};
const TENANT = "acme";

let sim: Simulator;
const repos: TestRepo[] = [];
let repoDir: string;
let tdb: TestDatabase;
let config: Config;
const git = (...args: string[]) => gitIn(repoDir, ...args);
const baseline = baselineVersion(parseSignature(SOURCE), new Date(0));
const candidate = (version: string, guideline: string): CompiledVersion => ({ ...baseline, version, parent: "1.0.0", guidelines: [{ text: guideline }], provenance: { optimizer: "test", llmCalls: 0, tokens: 0 } });

beforeAll(async () => {
  sim = await startSimulator({ bank: BANK });
}, 60_000);

/** A fresh prompts repository (one per test: each test's versions and tags start from nothing). */
function createRepo(): void {
  const repo = createTestRepo({ prompts: { [`${NAME}.yaml`]: SOURCE } });
  repos.push(repo);
  repoDir = repo.dir;
}

afterAll(async () => {
  await sim?.close();
  for (const repo of repos) repo.remove();
});

let counter = 0;
beforeEach(async () => {
  // A fresh database and repository per test.
  await tdb?.close();
  counter++;
  createRepo();
  tdb = await createTestDatabase({
    PROMPTS_REPO_DIR: repoDir,
    META_AGENT_PROMPTS_DIR: path.join(repoDir, "prompts"),
    META_AGENT_VERSIONS_DIR: path.join(repoDir, "versions"),
    LLM_BASE_URL: sim.baseURL,
    LLM_MODEL: "sim-chat",
    CACHE_ENABLED: "false",
    ROLLOUT: "canary",
    CANARY_TENANTS: "acme",
  });
  config = tdb.config;
  await ensureTenant(tdb.db, TENANT);
}, 60_000);
afterAll(async () => tdb?.close());

const SETTINGS = { share: 0.5, confidence: 0.95, effectSize: 0.1, minRuns: 20, maxRuns: 2000, maxDurationSeconds: 86400, maxLatencyIncrease: 100, maxCostIncrease: 100, objective: "quality" as const, tokenPenalty: 0 };

async function service(owner: string) {
  const orchestrator = await createOrchestrator(config, tdb.db, silentLogger, { canaryRefreshMs: 0 });
  const registry = await createRegistryDeps(config, tdb.db, silentLogger, { cwd: repoDir });
  const checker: CheckCanariesDeps = { db: tdb.db, registry, logger: silentLogger, owner, onDecided: () => orchestrator.canary.invalidate() };
  return { orchestrator, registry, checker };
}

/** Agent traffic: `count` tickets, each run then closed with whether the queue was right. */
async function traffic(orchestrator: Orchestrator, from: number, count: number, tenant = TENANT) {
  const runs = [];
  for (let i = from; i < from + count; i++) runs.push(await orchestrator.runSignature(NAME, { ticketText: `ticket #${counter}-${i}: charged twice for order ${i * 13}` }, { tenant, canaryKey: `user-${i}` }));
  await orchestrator.recorder.flush();
  for (const r of runs) await setTraceOutcome(tdb.db.forTenant(tenant).pool, tenant, r.traceId, { success: r.outputs["queue"] === "billing" });
  return runs;
}

const tenantTag = (v: string) => `${TENANT}/${NAME}@${v}`;

describe("canary releases", () => {
  it("rolls back a worse candidate by itself: the incumbent serves again and the candidate stays tagged", async () => {
    const a = await service("a");
    const canary = await startCanary(a.registry, { tenant: TENANT, candidate: candidate("1.1.0", "Prefer the technical queue when unsure."), incumbent: baseline, settings: SETTINGS, summary: "test" });
    expect(canary.status).toBe("running");
    const runs = await traffic(a.orchestrator, 0, 160);
    const arms = new Set(runs.map((r) => `${r.canary?.arm}:${r.version}`));
    expect(arms).toEqual(new Set(["incumbent:1.0.0", "candidate:1.1.0"]));
    // Sticky: the same key keeps its arm.
    const again = await a.orchestrator.runSignature(NAME, { ticketText: "ticket #x: refund" }, { tenant: TENANT, canaryKey: "user-3" });
    expect(again.canary?.arm).toBe(runs[3]!.canary?.arm);

    const [check] = await checkCanaries(a.checker, { tenant: TENANT });
    expect(check!.action).toBe("decided");
    expect(check!.canary.status).toBe("rolled_back");
    const d = check!.canary.decision!;
    expect(d.rule).toBe("sequential_test");
    expect(d.evidence.candidate.successRate!).toBeLessThan(d.evidence.incumbent.successRate!);
    expect(d.evidence.interval![1]).toBeLessThan(0);
    expect(d.evidence.incumbent.labelled + d.evidence.candidate.labelled).toBeGreaterThanOrEqual(160);
    // A git commit with its evidence, on the candidate's own branch, tagged: nothing lost.
    const message = git("log", "-1", "--format=%B", tenantTag("1.1.0"));
    expect(message).toContain("Canary rolled back");
    expect(message).toContain(`Canary-Id: ${canary.id}`);
    expect(message).toMatch(/candidate 1\.1\.0: \d+ runs with an outcome/);
    expect(git("branch", "--list", "--contains", tenantTag("1.1.0"))).not.toContain("main");
    expect(existsSync(path.join(repoDir, "versions", TENANT, `${NAME}.yaml`))).toBe(false);
    const mirror = await listMirror(tdb.db, TENANT, NAME);
    expect(mirror.find((r) => r.version === "1.1.0")).toMatchObject({ status: "rolled_back", commitSha: check!.canary.commitSha });
    // Everyone gets the incumbent again, without an arm.
    const after = await traffic(a.orchestrator, 1000, 20);
    expect(new Set(after.map((r) => r.version))).toEqual(new Set(["1.0.0"]));
    expect(after.every((r) => r.canary === undefined)).toBe(true);
    await a.orchestrator.close();
  }, 120_000);

  it("promotes a better candidate with a commit on the serving branch, and serves it to everyone", async () => {
    const a = await service("a");
    await startCanary(a.registry, { tenant: TENANT, candidate: candidate("1.2.0", "Look for invoice words before routing."), incumbent: baseline, settings: SETTINGS, summary: "test" });
    await traffic(a.orchestrator, 0, 160);
    const [check] = await checkCanaries(a.checker, { tenant: TENANT });
    expect(check!.canary.status).toBe("promoted");
    expect(check!.canary.decision!.evidence.interval![0]).toBeGreaterThan(0);
    expect(git("log", "-1", "--format=%B", "main")).toContain("Canary promoted: ticket_routing 1.2.0 vs 1.0.0");
    expect(git("tag", "--list", `${TENANT}/${NAME}@*`).trim().split("\n").sort()).toEqual([tenantTag("1.0.0"), tenantTag("1.2.0")]);
    await waitFor(() => a.orchestrator.registry.latest(TENANT, NAME)?.version === "1.2.0", { what: "the watcher serving 1.2.0" });
    const after = await traffic(a.orchestrator, 2000, 10);
    expect(after.every((r) => r.version === "1.2.0" && r.canary === undefined)).toBe(true);
    await a.orchestrator.close();
  }, 120_000);

  it("stops a candidate that is no different at canary_max_runs and keeps the incumbent", async () => {
    const a = await service("a");
    await ensureTenant(tdb.db, "beta");
    await startCanary(a.registry, {
      tenant: "beta",
      candidate: candidate("1.0.1", "Be courteous and restate the problem before choosing a queue."),
      incumbent: baseline,
      settings: { ...SETTINGS, maxRuns: 120 },
      summary: "test",
    });
    const [canary] = await listCanaries(tdb.db, "beta", { active: true });
    expect(canary).toBeDefined();
    await traffic(a.orchestrator, 0, 120, "beta");
    const [check] = await checkCanaries(a.checker, { tenant: "beta" });
    expect(check!.canary.status).toBe("stopped");
    expect(check!.canary.decision!.rule).toBe("max_runs");
    expect(check!.canary.decision!.evidence.interval![0]).toBeLessThan(0);
    expect(check!.canary.decision!.evidence.interval![1]).toBeGreaterThan(0);
    expect(git("log", "-1", "--format=%B", `beta/${NAME}@1.0.1`)).toContain("Canary stopped undecided");
    await a.orchestrator.close();
  }, 120_000);

  it("decides once when two service instances check the same canary", async () => {
    const a = await service("instance-a");
    const b = await service("instance-b");
    await startCanary(a.registry, { tenant: TENANT, candidate: candidate("1.3.0", "Prefer the technical queue when unsure."), incumbent: baseline, settings: SETTINGS, summary: "test" });
    // Traffic through both instances.
    await traffic(a.orchestrator, 0, 80);
    await traffic(b.orchestrator, 80, 80);
    const checks = (await Promise.all([checkCanaries(a.checker, { tenant: TENANT }), checkCanaries(b.checker, { tenant: TENANT })])).flat();
    expect(checks.filter((c) => c.action === "decided")).toHaveLength(1);
    const message = git("log", "--all", "--format=%B", "--grep", "Canary-Id");
    expect(message.match(/Canary-Decision: rolled_back/g)).toHaveLength(1);
    const [row] = await listCanaries(tdb.db, TENANT, { signature: NAME });
    expect(row!.status).toBe("rolled_back");
    expect(["instance-a", "instance-b"]).toContain(row!.decision!.decidedBy);
    await a.orchestrator.close();
    await b.orchestrator.close();
  }, 120_000);

  it("survives a restart: arms and runs are in the database, the new process routes and decides on all of them", async () => {
    const first = await service("before-restart");
    const started = await startCanary(first.registry, { tenant: TENANT, candidate: candidate("1.4.0", "Look for invoice words before routing."), incumbent: baseline, settings: SETTINGS, summary: "test" });
    // 24 runs: neither arm can have the 20 labelled runs (minRuns) a decision needs, so the canary
    // is still running when the process goes away (with 60, a strong candidate was sometimes
    // promoted already).
    const before = await traffic(first.orchestrator, 0, 24);
    expect((await checkCanaries(first.checker, { tenant: TENANT }))[0]!.action).toBe("running");
    await first.orchestrator.close();

    const second = await service("after-restart");
    const after = await traffic(second.orchestrator, 24, 136);
    // The same keys land on the same arms after the restart.
    const replay = await second.orchestrator.runSignature(NAME, { ticketText: "ticket #r: x" }, { tenant: TENANT, canaryKey: "user-5" });
    expect(replay.canary?.arm).toBe(before[5]!.canary?.arm);
    await second.orchestrator.recorder.flush();
    const [check] = await checkCanaries(second.checker, { tenant: TENANT });
    expect(check!.canary.id).toBe(started.id);
    expect(check!.canary.status).toBe("promoted");
    const e = check!.canary.decision!.evidence;
    expect(e.incumbent.runs + e.candidate.runs).toBe(before.length + after.length + 1);
    await second.orchestrator.close();
  }, 120_000);

  it("starts a canary only for tenants that enabled it", () => {
    const policy = canaryPolicyFrom(config)!;
    expect(policy.enabledFor("acme")).toBe(true);
    expect(policy.enabledFor("beta")).toBe(false);
    expect(canaryPolicyFrom(loadConfig({ env: { ROLLOUT: "gate" } }))).toBeUndefined();
    expect(canaryPolicyFrom(loadConfig({ env: { ROLLOUT: "canary", ENABLE_AUTO_UPDATES: "false" } }))).toBeUndefined();
  });
});
