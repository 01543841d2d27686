import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleGit } from "simple-git";
import { createApp } from "../../src/http/app.js";
import { routingRoutes } from "../../src/http/routes/routing.js";
import { silentLogger } from "../../src/log/logger.js";
import { trainRoutingPolicy } from "../../src/learning/train-routing-policy.js";
import { rollbackRoutingPolicy } from "../../src/registry/rollback-routing-policy.js";
import { retrainRoutingPolicies } from "../../src/learning/retrain-routing-policies.js";
import { runCli } from "../support/cli.js";
import { storedTraces } from "../support/orchestrator.js";
import { ROUTING_FAMILIES, runRoutingExperiment, startRoutingScenario, type RoutingScenario } from "../support/routing-scenario.js";

const [TALLY, SUMMARIZE, DIAGNOSE, CONVERT] = ROUTING_FAMILIES as [(typeof ROUTING_FAMILIES)[number], (typeof ROUTING_FAMILIES)[number], (typeof ROUTING_FAMILIES)[number], (typeof ROUTING_FAMILIES)[number]];

describe("learned routing of sub-tasks (seed 002)", () => {
  let s: RoutingScenario;
  let server: Server;
  let base: string;
  let repoDir: string;
  beforeAll(async () => {
    s = await startRoutingScenario({ lambda: 0.5, exploration: 0.1, minTraces: 20, seed: 3 });
    repoDir = path.dirname(s.fx.repo.versionsDir);
    const app = createApp({ logger: silentLogger, health: { isReady: async () => true, isShuttingDown: () => false }, routers: [routingRoutes(s.routing)] });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await s?.close();
  });

  it("routes by the fixed rule on a cold start, records each decision on the routed call's trace, and will not train on too few traces", async () => {
    const tally = await s.runOne(TALLY, 1);
    const diagnose = await s.runOne(DIAGNOSE, 1);
    expect(tally).toMatchObject({ arm: "engineer@sim-small", rule: "fixed" });
    expect(diagnose).toMatchObject({ arm: "worker@sim-small", rule: "fixed" });
    // The simulator saw the routed model.
    expect(s.fx.sim.calls.filter((c) => c.family === "tally-engineer-small")).toHaveLength(1);

    await s.fx.orchestrator.recorder.flush();
    const routed = (await storedTraces(s.fx.tdb)).filter((t) => t.metadata["routing"]);
    expect(routed.map((t) => t.metadata["routing"])).toEqual([
      { arm: "engineer@sim-small", route: "engineer", model: "sim-small", probability: 1, policy: null, rule: "fixed", intent: "compute" },
      { arm: "worker@sim-small", route: "worker", model: "sim-small", probability: 1, policy: null, rule: "fixed", intent: "reason" },
    ]);
    expect(routed.map((t) => t.success)).toEqual([tally.success, diagnose.success]);

    const res = await fetch(`${base}/v1/routing/train`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, reason: "not_enough_traces", traces: 2, needed: 20 });
    expect((await fetch(`${base}/v1/routing/policy`)).status).toBe(404);
    const route = (await (await fetch(`${base}/v1/routing/route`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "Diagnose the outage of cluster 9" }) })).json()) as Record<string, unknown>;
    expect(route).toMatchObject({ rule: "fixed", arm: { id: "worker@sim-small" }, reason: expect.stringContaining("cold start") });
  });

  it("learns from the traces epoch by epoch: reward rises, and on the same fresh tasks it beats the fixed rule and random at the same λ", async () => {
    const x = await runRoutingExperiment(s, { lambda: 0.5, epochs: 4, tasksPerEpoch: 24, evalTasks: 32, seed: 11 });
    expect(x.policyVersions).toEqual([1, 2, 3, 4]);
    expect(x.rewardByEpoch.at(-1)!).toBeGreaterThan(x.rewardByEpoch[0]!);
    expect(x.learned.meanReward).toBeGreaterThan(x.fixed.meanReward);
    expect(x.learned.meanReward).toBeGreaterThan(x.random.meanReward);
    expect(x.vsRandom.low).toBeGreaterThan(0);
    // The fixed rule never leaves the small model; the learned policy sends some tasks to the large one.
    expect(Object.keys(x.fixed.utilization).sort()).toEqual(["engineer@sim-small", "worker@sim-small"]);
    expect(x.learned.utilization["worker@sim-large"] ?? 0).toBeGreaterThan(0);

    // Once trained, decisions are the policy's: sampled, with their probability recorded.
    const decision = await s.routing.router.choose("default", { text: "Convert the ledger totals of account 4242 to euros", intent: "reason" });
    expect(decision).toMatchObject({ rule: "learned", policyVersion: 4 });
    expect(Object.values(decision.probabilities!).every((p) => p >= 0.1 / 4 - 1e-9)).toBe(true);
    expect(decision.probability).toBe(decision.probabilities![decision.arm.id]);
    // About 200 tasks through the real task runner, database and simulator: a time limit, not an assertion.
  }, 600_000);

  it("versions the policy like prompts: one commit and tag per version in the prompts repository, diffable, rolled back as a new version the router serves", async () => {
    const git = simpleGit({ baseDir: repoDir });
    const tags = (await git.tags()).all.filter((t) => t.startsWith("_routing/"));
    expect(tags.sort()).toEqual(["_routing/default@1", "_routing/default@2", "_routing/default@3", "_routing/default@4"]);
    const log = await git.log({ file: "versions/_routing/default.json" });
    expect(log.all).toHaveLength(4);
    expect(log.latest!.body).toContain("Meta-Agent-Routing-Policy: default@4");
    expect(log.latest!.message).toMatch(/^routing policy 4 for default: \d+ traces, estimated reward/);

    const history = (await (await fetch(`${base}/v1/routing/history`)).json()) as { versions: { version: number; current: boolean }[] };
    expect(history.versions.map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    const diff = (await (await fetch(`${base}/v1/routing/diff?from=1&to=4`)).json()) as { diff: string };
    expect(diff.diff).toMatch(/^-\s+"worker@sim-large": \[/m);
    expect(diff.diff).toMatch(/^\+\s+"worker@sim-large": \[/m);

    const shown = (await (await fetch(`${base}/v1/routing/policy?version=4`)).json()) as { served: boolean; policy: { training: { traces: number; estimatedReward: Record<string, { mean: number }> } } };
    expect(shown.served).toBe(true);
    expect(Object.keys(shown.policy.training.estimatedReward).sort()).toEqual(["fixedRule", "logged", "policy", "uniform"]);

    const rolled = await rollbackRoutingPolicy(s.routing.store, { tenant: "default", to: 1 });
    expect(rolled).toMatchObject({ version: 5, parent: 4, rollbackOf: 1 });
    const served = await s.routing.router.servedPolicy("default");
    const v1 = await s.routing.store.get("default", 1);
    expect(served).toMatchObject({ version: 5, rollbackOf: 1 });
    expect(served!.weights).toEqual(v1!.weights);
    const bad = await fetch(`${base}/v1/routing/rollback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ to: 99 }) });
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("versions: 1, 2, 3, 4, 5");
  });

  it("warm-starts training from the served policy and keeps the fixed rule's estimate beside the learned one", async () => {
    for (let n = 500; n < 508; n++) await s.runOne(n % 2 ? SUMMARIZE : CONVERT, n);
    const result = await trainRoutingPolicy(s.routing.training, s.routing, { tenant: "default", dryRun: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.saved).toBeNull();
    expect(result.policy.version).toBe(6);
    const e = result.policy.training.estimatedReward;
    expect(e.policy.low).toBeLessThanOrEqual(e.policy.mean);
    expect(e.policy.mean).toBeGreaterThan(e.uniform.mean);
    expect(result.summary).toContain("vs fixed rule");
    // A dry run commits nothing.
    expect((await s.routing.store.latest("default"))!.version).toBe(5);
  });

  it("retrains on the schedule only when enough new traces with an outcome arrived since the served policy", async () => {
    const before = await retrainRoutingPolicies(s.routing, ["default"]);
    expect(before["default"]).toEqual({ trained: false, reason: "8 new routed traces with an outcome since policy 5; 20 needed" });
    for (let n = 600; n < 612; n++) await s.runOne(ROUTING_FAMILIES[n % 4]!, n);
    expect(await retrainRoutingPolicies(s.routing, ["default"])).toEqual({ default: { trained: true, version: 6 } });
    expect((await s.routing.router.servedPolicy("default"))!.version).toBe(6);
  });
});

describe("meta-agent routing (CLI)", () => {
  let s: RoutingScenario;
  let env: Record<string, string>;
  let cwd: string;
  beforeAll(async () => {
    s = await startRoutingScenario({ lambda: 0.5, minTraces: 10, seed: 5 });
    for (let n = 1; n <= 12; n++) await s.runOne(ROUTING_FAMILIES[n % 4]!, n);
    cwd = path.dirname(s.fx.repo.versionsDir);
    env = {
      META_AGENT_DATA_DIR: s.fx.tdb.dataDir,
      PROMPTS_REPO_DIR: cwd,
      META_AGENT_VERSIONS_DIR: s.fx.repo.versionsDir,
      META_AGENT_ROUTING_MODELS: "sim-small,sim-large",
      META_AGENT_ROUTING_MIN_TRACES: "10",
      META_AGENT_ROUTING_LAMBDA: "0.5",
      LOG_LEVEL: "error",
    };
  });
  afterAll(async () => s?.close());

  it("trains, shows, lists, diffs, routes and rolls back the tenant's policy", async () => {
    const none = await runCli(["routing", "show"], env, { cwd });
    expect(none.stdout).toContain("No routing policy for tenant default yet: the fixed rule routes");

    const trained = await runCli(["routing", "train"], env, { cwd });
    expect(trained.stderr).toBe("");
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/routing policy 1 for default: 12 traces, estimated reward -?[\d.]+ \[/);
    expect(trained.stdout).toContain("Committed _routing/default@1");
    const again = await runCli(["routing", "train", "--json"], env, { cwd });
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, saved: { version: 2, tag: "_routing/default@2" }, policy: { parent: 1 } });

    const show = await runCli(["routing", "show"], env, { cwd });
    expect(show.stdout).toContain("Routing policy 2 of default");
    expect(show.stdout).toMatch(/fixed rule\s+-?[\d.]+ \[/);
    expect(show.stdout).toContain("Utilization — logged:");
    const file = await runCli(["routing", "show", "1", "--file"], env, { cwd });
    expect(JSON.parse(file.stdout)).toMatchObject({ kind: "routing-policy", version: 1 });

    const history = await runCli(["routing", "history"], env, { cwd });
    expect(history.stdout).toMatch(/^\* 2 /m);
    expect(history.stdout).toMatch(/^ {2}1 /m);

    const diff = await runCli(["routing", "diff", "1", "2", "--no-color"], env, { cwd });
    expect(diff.stdout).toContain("--- routing@1");
    expect(diff.stdout).toContain("+++ routing@2");

    const route = await runCli(["routing", "route", "Diagnose the outage of cluster 77", "--json"], env, { cwd });
    expect(JSON.parse(route.stdout)).toMatchObject({ rule: "learned", policyVersion: 2, probabilities: expect.any(Object) });

    const back = await runCli(["routing", "rollback", "--to", "1"], env, { cwd });
    expect(back.stdout).toContain("Rolled back the routing policy to 1: new version 3 (parent 2), tag _routing/default@3.");
    const badVersion = await runCli(["routing", "show", "abc"], env, { cwd });
    expect(badVersion.code).toBe(1);
    expect(badVersion.stderr).toContain("not a policy version");
  });
});
