import { describe, expect, it } from "vitest";
import { createRng } from "../../runtime/random.js";
import type { FeatureSpec } from "../../domain/routing-policy.js";
import { routeFeatures } from "./route-features.js";
import { estimateValue, probabilities, sampleIndex, trainReinforce, withExploration, type LoggedDecision } from "./softmax-policy.js";

// A seeded synthetic routing problem: three task families, four arms of different cost and skill.
// Family A is solved by the cheap arm, family B only by the expensive one, family C by the
// engineer-like arm; the fixed rule (arm 0 for everything but C) is right on A and C only.
const SKILL = [
  [0.9, 0.95, 0.2, 0.3], // family A
  [0.1, 0.9, 0.1, 0.2], // family B
  [0.2, 0.4, 0.9, 0.9], // family C
];
const COST = [0.3, 2, 0.5, 2.5]; // per call, in 1000-token units
const LAMBDA = 0.1;
const FAMILIES = ["a", "b", "c"];
const FIXED = (family: number) => (family === 2 ? 2 : 0);

/** Families are told apart by their embedding alone: every task says its intent is "reason". */
function task(rng: () => number, spec: FeatureSpec) {
  const family = Math.floor(rng() * 3);
  const embedding = Array.from({ length: 24 }, (_, i) => (i % 3 === family ? 1 : 0) + (rng() - 0.5) * 0.3);
  return { family, x: routeFeatures(spec, { text: `task of family ${FAMILIES[family]} ${"x".repeat(20 + Math.floor(rng() * 40))}`, intent: "reason" }, embedding) };
}

const rewardOf = (rng: () => number, family: number, arm: number) => (rng() < SKILL[family]![arm]! ? 1 : 0) - LAMBDA * COST[arm]!;

describe("REINFORCE routing policy on a seeded synthetic problem", () => {
  const spec: FeatureSpec = { embeddingDims: 8, projectionSeed: 7, intents: ["compute", "reason", "research"] };

  it("raises the reward epoch by epoch and ends above uniform random and the fixed rule", () => {
    const rng = createRng(29);
    const logged: LoggedDecision[] = [];
    let weights = Array.from({ length: 4 }, () => new Array<number>(routeFeatures(spec, { text: "", intent: "" }, undefined).length).fill(0));
    const rewardByEpoch: number[] = [];
    for (let epoch = 0; epoch < 8; epoch++) {
      let total = 0;
      for (let i = 0; i < 150; i++) {
        const t = task(rng, spec);
        const p = withExploration(probabilities(weights, t.x), 0.1);
        const arm = sampleIndex(p, rng);
        const reward = rewardOf(rng, t.family, arm);
        total += reward;
        logged.push({ x: t.x, arm, reward, propensity: p[arm]! });
      }
      rewardByEpoch.push(total / 150);
      weights = trainReinforce(weights, logged, { epochs: 20, learningRate: 0.5, seed: epoch }).weights;
    }
    // Fresh tasks, the same λ: the learned policy (sampled, with its exploration) vs random vs the fixed rule.
    const evalRng = createRng(2029);
    const tasks = Array.from({ length: 3000 }, () => task(evalRng, spec));
    const mean = (choose: (t: (typeof tasks)[number]) => number) => tasks.reduce((s, t) => s + rewardOf(evalRng, t.family, choose(t)), 0) / tasks.length;
    const learned = mean((t) => sampleIndex(withExploration(probabilities(weights, t.x), 0.1), evalRng));
    const uniform = mean(() => Math.floor(evalRng() * 4));
    const fixed = mean((t) => FIXED(t.family));

    expect(rewardByEpoch.at(-1)!).toBeGreaterThan(rewardByEpoch[0]! + 0.15);
    expect(learned).toBeGreaterThan(uniform + 0.2);
    expect(learned).toBeGreaterThan(fixed + 0.05);
    // It learned the expensive arm for family B only, where nothing cheaper works.
    const greedy = (family: number) => {
      const p = probabilities(weights, tasks.find((t) => t.family === family)!.x);
      return p.indexOf(Math.max(...p));
    };
    expect([greedy(0), greedy(1), greedy(2)]).toEqual([0, 1, 2]);
  });

  it("learns from the fixed rule's own logs (probability 1) to move away from a route that fails", () => {
    const rng = createRng(5);
    // The fixed rule always took arm 0; it succeeds on family A and fails on family B.
    const logged: LoggedDecision[] = Array.from({ length: 400 }, () => {
      const t = task(rng, spec);
      return { x: t.x, arm: 0, reward: t.family === 0 ? 1 : 0, propensity: 1 };
    });
    const { weights } = trainReinforce([0, 1].map(() => new Array<number>(logged[0]!.x.length).fill(0)), logged, { epochs: 50, learningRate: 0.5 });
    const pA = probabilities(weights, logged.find((d) => d.reward === 1)!.x)[0]!;
    const pB = probabilities(weights, logged.find((d) => d.reward === 0)!.x)[0]!;
    expect(pA).toBeGreaterThan(0.8);
    expect(pB).toBeLessThan(0.3);
  });

  it("estimates a policy's reward from logs with an interval that holds the true value", () => {
    const rng = createRng(11);
    const logged: LoggedDecision[] = Array.from({ length: 4000 }, () => {
      const t = task(rng, spec);
      const arm = Math.floor(rng() * 4);
      return { x: t.x, arm, reward: rewardOf(rng, t.family, arm), propensity: 0.25 };
    });
    // Always arm 1: true mean = mean skill of arm 1 over families − λ·cost = (0.95+0.9+0.4)/3 − 0.2 = 0.55.
    const e = estimateValue(logged, () => [0, 1, 0, 0]);
    expect(e.low).toBeLessThan(0.55);
    expect(e.high).toBeGreaterThan(0.55);
    expect(e.high - e.low).toBeLessThan(0.15);
  });
});

describe("route features", () => {
  it("are the same for the same task and spec, and separate intents and lengths", () => {
    const spec: FeatureSpec = { embeddingDims: 4, projectionSeed: 3, intents: ["compute", "reason"] };
    const e = [0.1, 0.5, -0.2, 0.7, 0.3];
    const a = routeFeatures(spec, { text: "short", intent: "Compute" }, e);
    expect(routeFeatures(spec, { text: "short", intent: "compute" }, e)).toEqual(a);
    expect(a).toHaveLength(1 + 4 + 3 + 1);
    expect(a.slice(5, 8)).toEqual([1, 0, 0]);
    expect(routeFeatures(spec, { text: "short", intent: "translate" }, e).slice(5, 8)).toEqual([0, 0, 1]);
    expect(routeFeatures(spec, { text: "x".repeat(5000), intent: "compute" }, e).at(-1)!).toBeGreaterThan(a.at(-1)!);
    // Scaling the embedding does not change the projection.
    expect(routeFeatures(spec, { text: "short", intent: "compute" }, e.map((v) => v * 3)).slice(1, 5).map((v) => v.toFixed(9))).toEqual(a.slice(1, 5).map((v) => v.toFixed(9)));
  });
});
