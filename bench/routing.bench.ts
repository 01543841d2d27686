// Learned routing on the model simulator (seed 002, issue 29): four task families, two routes
// (worker, engineer) on two models of different price and skill (test/support/routing-scenario.ts).
// Each epoch routes tasks through the real task runner with the served policy (the fixed rule on
// the cold start), outcomes are reported on the traces, and the policy is retrained from every
// trace so far and committed. Figures: mean reward (success − λ·cost) per epoch, then the learned
// policy against the fixed rule and uniform random on the same fresh tasks at the same λ — the
// paired difference with its 95% interval — and each policy's route utilization.
//   npx tsx bench/routing.bench.ts [--quick]
import { runRoutingExperiment, startRoutingScenario } from "../test/support/routing-scenario.js";
import { pathToFileURL } from "node:url";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";

const LAMBDA = 0.5;

const pct = (u: Record<string, number>) =>
  Object.entries(u)
    .sort()
    .map(([arm, s]) => `${arm} ${(s * 100).toFixed(0)}%`)
    .join(", ");
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const scenario = await startRoutingScenario({ lambda: LAMBDA, exploration: 0.1, minTraces: 20, seed: 29 });
  try {
    const t0 = performance.now();
    const x = await runRoutingExperiment(scenario, options.quick ? { lambda: LAMBDA, epochs: 4, tasksPerEpoch: 30, evalTasks: 40 } : { lambda: LAMBDA, epochs: 8, tasksPerEpoch: 40, evalTasks: 100 });
    const seconds = (performance.now() - t0) / 1000;
    // The cold-start epoch (the fixed rule) against the later half of the epochs (learned policies):
    // one epoch's mean moves by about ±0.1 with 40 tasks, so single epochs are shown, not compared.
    const first = x.rewardByEpoch[0]!;
    const later = x.rewardByEpoch.slice(Math.ceil(x.rewardByEpoch.length / 2));
    const last = later.reduce((s, v) => s + v, 0) / later.length;
    const rows: BenchResult[] = [
      {
        name: "routing: mean reward per epoch, later half vs the cold-start epoch",
        value: r3(last),
        unit: "reward",
        baseline: r3(first),
        ratio: first !== 0 ? r3(last / first) : null,
        target: "rises",
        met: last > first,
        detail: `λ ${LAMBDA}; reward per epoch ${x.rewardByEpoch.map(r3).join(" → ")}; policy versions committed ${x.policyVersions.join(", ")}; ${seconds.toFixed(0)} s`,
      },
      {
        name: "routing: learned vs fixed rule, mean reward on the same fresh tasks",
        value: r3(x.learned.meanReward),
        unit: "reward",
        baseline: r3(x.fixed.meanReward),
        ratio: x.fixed.meanReward !== 0 ? r3(x.learned.meanReward / x.fixed.meanReward) : null,
        target: "learned > fixed (95% interval of the paired difference above 0)",
        met: x.vsFixed.low > 0,
        detail: `difference ${r3(x.vsFixed.mean)} [${r3(x.vsFixed.low)}, ${r3(x.vsFixed.high)}]; success ${(x.learned.successRate * 100).toFixed(0)}% vs ${(x.fixed.successRate * 100).toFixed(0)}%; tokens/call ${x.learned.meanTokens.toFixed(0)} vs ${x.fixed.meanTokens.toFixed(0)}`,
      },
      {
        name: "routing: learned vs uniform random, mean reward on the same fresh tasks",
        value: r3(x.learned.meanReward),
        unit: "reward",
        baseline: r3(x.random.meanReward),
        ratio: x.random.meanReward !== 0 ? r3(x.learned.meanReward / x.random.meanReward) : null,
        target: "learned > random (95% interval of the paired difference above 0)",
        met: x.vsRandom.low > 0,
        detail: `difference ${r3(x.vsRandom.mean)} [${r3(x.vsRandom.low)}, ${r3(x.vsRandom.high)}]; success ${(x.learned.successRate * 100).toFixed(0)}% vs ${(x.random.successRate * 100).toFixed(0)}%`,
      },
      {
        name: "routing: utilization of the routes (learned | fixed | random)",
        value: Object.keys(x.learned.utilization).length,
        unit: "routes used",
        baseline: null,
        ratio: null,
        target: "reported",
        met: null,
        detail: `learned: ${pct(x.learned.utilization)} | fixed: ${pct(x.fixed.utilization)} | random: ${pct(x.random.utilization)}; per epoch: ${x.utilizationByEpoch.map(pct).join(" / ")}`,
      },
    ];
    return rows;
  } finally {
    await scenario.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
