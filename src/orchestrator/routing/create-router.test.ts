import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseRoutingPolicy, serializeRoutingPolicy, type RoutingPolicy } from "../../domain/routing-policy.js";
import { createRng } from "../../runtime/random.js";
import { captureLogger } from "../../../test/support/log-capture.js";
import { makeTempDir } from "../../../test/support/temp-dir.js";
import { configuredArms } from "./routing-arms.js";
import { createRouter, type RouterSettings } from "./create-router.js";
import { featureCount } from "./route-features.js";

const spec = { embeddingDims: 0, projectionSeed: 1, intents: ["compute", "reason", "research"] };
const estimate = { mean: 0.5, low: 0.4, high: 0.6 };

/** A policy that strongly prefers worker@large for `reason` and engineer@small for `compute`. */
function policy(version: number, traces: number): RoutingPolicy {
  const arms = configuredArms(["small", "large"]);
  const w = (compute: number, reason: number) => [0, compute, reason, 0, 0, 0];
  return {
    kind: "routing-policy",
    tenant: "default",
    version,
    parent: version > 1 ? version - 1 : null,
    trainedAt: "2026-12-07T00:00:00.000Z",
    lambda: 0.1,
    features: spec,
    arms,
    weights: { "worker@small": w(0, 0), "worker@large": w(0, 6), "engineer@small": w(6, 0), "engineer@large": w(0, 0) },
    training: { traces, skipped: 0, epochs: 1, learningRate: 0.5, baseline: 0.5, estimatedReward: { logged: estimate, fixedRule: { mean: Number.NaN, low: Number.NaN, high: Number.NaN }, uniform: estimate, policy: estimate }, rewardByEpoch: [0.5], loggedUtilization: {}, utilization: {} },
  };
}

describe("the router", () => {
  const tmp = makeTempDir("meta-agent-router-");
  afterEach(() => tmp.remove());
  const write = (p: RoutingPolicy | string) => {
    mkdirSync(path.join(tmp.dir, "_routing"), { recursive: true });
    writeFileSync(path.join(tmp.dir, "_routing", "default.json"), typeof p === "string" ? p : serializeRoutingPolicy(p));
  };
  const router = (overrides: Partial<RouterSettings> = {}) => {
    const log = captureLogger("info");
    const r = createRouter({ enabled: true, exploration: 0.2, models: ["small", "large"], minTraces: 30, versionsDir: tmp.dir, ...overrides }, { embed: async () => [], logger: log.logger, rng: createRng(1) });
    return { r, log };
  };

  it("uses the fixed rule on a cold start and says why", async () => {
    const { r } = router();
    expect(await r.choose("default", { text: "Add 2 and 3", intent: "compute" })).toEqual({ arm: { id: "engineer@small", route: "engineer", model: "small" }, probability: 1, policyVersion: null, rule: "fixed", reason: "cold start: no trained routing policy" });
    write(policy(1, 10));
    expect(await r.choose("default", { text: "Why is it slow?", intent: "reason" })).toMatchObject({ arm: { id: "worker@small" }, rule: "fixed", reason: expect.stringContaining("trained on 10 traces (routing_min_traces 30)") });
  });

  it("samples from the served policy with every route kept at exploration / routes, and only among available routes", async () => {
    write(policy(2, 100));
    const { r } = router();
    const picks = await Promise.all(Array.from({ length: 400 }, () => r.choose("default", { text: "Why is it slow?", intent: "reason" })));
    const d = picks[0]!;
    expect(d).toMatchObject({ rule: "learned", policyVersion: 2 });
    expect(Math.min(...Object.values(d.probabilities!))).toBeGreaterThanOrEqual(0.2 / 4 - 1e-12);
    expect(d.probabilities!["worker@large"]).toBeGreaterThan(0.8);
    const share = picks.filter((p) => p.arm.id === "worker@large").length / picks.length;
    expect(share).toBeGreaterThan(0.75);
    expect(new Set(picks.map((p) => p.arm.id)).size).toBe(4);
    // Each tenant has its own policy file: another tenant is still on its cold start.
    expect(await r.choose("acme", { text: "Why is it slow?", intent: "reason" })).toMatchObject({ rule: "fixed", reason: "cold start: no trained routing policy" });
    const workerOnly = await r.choose("default", { text: "Add 2 and 3", intent: "compute" }, { available: (a) => a.route === "worker" });
    expect(Object.keys(workerOnly.probabilities!).sort()).toEqual(["worker@large", "worker@small"]);
  });

  it("keeps the fixed rule when the file does not validate, and serves the policy once it is fixed", async () => {
    write("{ not json");
    const { r, log } = router();
    expect(await r.choose("default", { text: "x", intent: "reason" })).toMatchObject({ rule: "fixed" });
    expect(log.events("routing-policy-invalid")).toHaveLength(1);
    write(serializeRoutingPolicy(policy(3, 100)) + "\n");
    expect(await r.choose("default", { text: "x", intent: "reason" })).toMatchObject({ rule: "learned", policyVersion: 3 });
  });

  it("always uses the fixed rule with routing_enabled false", async () => {
    write(policy(4, 100));
    const { r } = router({ enabled: false });
    expect(await r.choose("default", { text: "x", intent: "reason" })).toMatchObject({ rule: "fixed", reason: "learned routing is off (routing_enabled)" });
  });
});

describe("the policy file", () => {
  it("round-trips, with an estimate that has no data written as null, and one line per route's weights", () => {
    const p = policy(1, 50);
    const text = serializeRoutingPolicy(p);
    expect(text).toContain('"fixedRule": {\n        "mean": null');
    expect(text).toMatch(/^ {4}"worker@large": \[0, 0, 6, 0, 0, 0\],?$/m);
    const back = parseRoutingPolicy(text);
    expect(back.training.estimatedReward.fixedRule.mean).toBeNaN();
    expect(back.weights).toEqual(p.weights);
    expect(featureCount(spec)).toBe(p.weights["worker@small"]!.length);
    expect(() => parseRoutingPolicy(text.replace('"worker@large": [', '"other": ['))).toThrow(/weights\.worker@large: missing/);
  });
});
