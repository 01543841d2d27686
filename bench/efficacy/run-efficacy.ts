// `npm run efficacy`: does compiling help, on tasks whose answers are checked by code? For each
// task family (bench/efficacy/task-families.ts, signatures in prompts/efficacy/): the baseline
// runs a training split and its runs become traces; the compiler compiles the signature from
// those traces; baseline and compiled version are then evaluated by the harness on a held-out
// split neither saw. Prints success with 95 % intervals, the paired difference, tokens per item.
//
//   npm run efficacy                         # on the model simulator (CI)
//   LLM_BASE_URL=http://gpu-host:8000/v1 LLM_MODEL=Qwen/Qwen2.5-7B-Instruct npm run efficacy -- --real
//
// Options: --real (use LLM_BASE_URL/LLM_MODEL), --train N (default 40), --items N (held-out,
// default 60), --seed N (default 1), --optimizer NAME (default bootstrap-few-shot),
// --family NAME (repeatable), --out FILE (JSON report), --concurrency N (default 4),
// --hierarchy-items N (seed 000's hierarchical vs flat experiment, bench/efficacy/run-hierarchy.ts;
// default 40, 0 skips it), --budget N (tokens per task of that experiment, default 3000),
// --hierarchy-only (skip the compile families).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { loadConfig } from "../../src/config/index.js";
import { openDatabase } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { startSimulator } from "../../src/simulator/index.js";
import { createChatModel } from "../../src/llm/create-chat-model.js";
import type { ChatModel } from "../../src/llm/chat-model.js";
import { ensureTenant } from "../../src/tenancy/ensure-tenant.js";
import { ingestTraces } from "../../src/collector/ingest/ingest-traces.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { predict, InvalidModelOutputError } from "../../src/signature/predict.js";
import { mapWithConcurrency } from "../../src/compiler/evaluate-version.js";
import { resolveMetric } from "../../src/compiler/metrics/resolve-metric.js";
import { compileSignature } from "../../src/compiler/compile-signature.js";
import { createInMemoryPromptStore } from "../../src/registry/prompt-store.js";
import { runEval, type EvalReport } from "../../src/compiler/eval/run-eval.js";
import { datasetFromItems } from "../../src/compiler/eval/eval-dataset.js";
import { FAMILIES, generateTasks, simulatorBank, type Task } from "./task-families.js";
import { hierarchyBank, hierarchyTasks, runHierarchyExperiment, type HierarchyReport } from "./run-hierarchy.js";

const PROMPTS = fileURLToPath(new URL("../../prompts/efficacy", import.meta.url));
const ROLE_PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const { values: args } = parseArgs({
  options: {
    real: { type: "boolean", default: false },
    train: { type: "string", default: "40" },
    items: { type: "string", default: "60" },
    seed: { type: "string", default: "1" },
    optimizer: { type: "string", default: "bootstrap-few-shot" },
    family: { type: "string", multiple: true },
    out: { type: "string" },
    concurrency: { type: "string", default: "4" },
    "hierarchy-items": { type: "string", default: "40" },
    budget: { type: "string", default: "3000" },
    "hierarchy-only": { type: "boolean", default: false },
  },
});
const TRAIN = Number(args.train);
const ITEMS = Number(args.items);
const SEED = Number(args.seed);
const CONCURRENCY = Number(args.concurrency);
const families = args["hierarchy-only"] ? [] : FAMILIES.filter((f) => !args.family || args.family.includes(f.signature));
const HIERARCHY_ITEMS = Number(args["hierarchy-items"]);
const BUDGET = Number(args.budget);

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);
const signed = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-efficacy-"));
  const tasks = new Map(families.map((f) => [f.signature, { train: generateTasks(f, SEED, 0, TRAIN), heldOut: generateTasks(f, SEED, TRAIN, ITEMS) }]));
  const hierTasks = hierarchyTasks(SEED, HIERARCHY_ITEMS);
  const compileBank = simulatorBank(families.flatMap((f) => [...tasks.get(f.signature)!.train, ...tasks.get(f.signature)!.heldOut].map((t) => ({ ...t, family: f }))));
  const sim = args.real ? undefined : await startSimulator({ bank: { families: [...compileBank.families, ...hierarchyBank(hierTasks)] } });
  const config = loadConfig({ env: { ...process.env, META_AGENT_DATA_DIR: path.join(dir, "data"), EMBEDDER: "hash", LOG_LEVEL: "silent", ...(sim ? { LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat" } : {}) }, cwd: dir });
  if (!config.llmBaseUrl) throw new Error("--real needs LLM_BASE_URL and LLM_MODEL (an OpenAI-compatible endpoint, e.g. vLLM)");
  const model = createChatModel(config);
  const db = await openDatabase(config, silentLogger);
  const reports: { family: string; verdict: string; report: EvalReport }[] = [];
  let hierarchy: HierarchyReport | undefined;
  try {
    await ensureTenant(db, "default");
    console.log(`Efficacy on ${sim ? "the model simulator" : `${config.llmModel} at ${config.llmBaseUrl}`}: ${families.length > 0 ? `${TRAIN} training and ${ITEMS} held-out tasks per family, optimizer ${args.optimizer}, ` : ""}seed ${SEED}.\n`);
    if (families.length > 0) console.log("family                    baseline [95% CI]        compiled [95% CI]        difference [95% CI]      tokens/item");
    for (const family of families) {
      const { signature, file } = await loadSignature(PROMPTS, family.signature);
      const baseline = baselineVersion(signature, new Date(0));
      const metric = await resolveMetric(signature, { signatureFile: file, model });
      const { train, heldOut } = tasks.get(family.signature)!;
      await recordBaselineRuns(db, model, baseline, train, metric);
      const store = createInMemoryPromptStore();
      const compiled = await compileSignature(
        {
          db,
          store,
          model,
          logger: silentLogger,
          settings: { promptsDir: PROMPTS, defaultOptimizer: args.optimizer!, devSetSize: Math.min(12, Math.floor(TRAIN / 3)), minImprovement: 0.02, promotionConfidence: 0.95, confidenceThreshold: 0.7, maxLlmCalls: 2000, maxTokens: 5_000_000, maxDemos: 4, backupOriginalPrompts: false },
        },
        { tenant: "default", name: family.signature },
      );
      if (!compiled.candidate) {
        console.log(`${family.signature.padEnd(25)} no candidate: ${compiled.verdict.reason}`);
        continue;
      }
      const dataset = datasetFromItems(signature, heldOut.map((t) => ({ id: t.key, input: t.input, expected: t.expected })), "held-out");
      const report = await runEval(
        model,
        { tenant: "default", signature, versions: [{ label: "baseline", version: baseline }, { label: "compiled", version: compiled.candidate }], dataset, metric },
        { objective: { objective: config.promotionObjective, tokenPenalty: config.objectiveTokenPenalty }, prices: { prompt: config.pricePerMillionPromptTokens, completion: config.pricePerMillionCompletionTokens } },
        { seed: SEED, concurrency: CONCURRENCY },
      );
      reports.push({ family: family.signature, verdict: compiled.verdict.reason, report });
      const [b, c] = report.versions;
      const d = report.comparisons[0]!.quality;
      console.log(
        `${family.signature.padEnd(25)} ${pct(b!.quality.mean)} [${pct(b!.quality.ci[0])}, ${pct(b!.quality.ci[1])}]  ${pct(c!.quality.mean)} [${pct(c!.quality.ci[0])}, ${pct(c!.quality.ci[1])}]  ${signed(d.meanDiff).padStart(6)} [${signed(d.ci[0])}, ${signed(d.ci[1])}]`.padEnd(106) +
          `${b!.tokensPerItem.total.toFixed(0)} → ${c!.tokensPerItem.total.toFixed(0)}`,
      );
    }
    if (families.length > 0) console.log(`\nDifferences are compiled − baseline in points of success, paired over the same held-out tasks (bootstrap, seed ${SEED}). The compiler saw only the training split.`);
    if (HIERARCHY_ITEMS > 0) {
      hierarchy = await runHierarchyExperiment({ config, db, model, promptsDir: ROLE_PROMPTS, efficacyPromptsDir: PROMPTS, workDir: dir }, { tasks: hierTasks, budgetTokens: BUDGET, seed: SEED, concurrency: CONCURRENCY });
      console.log(`\nHierarchical (analyst → workers → synthesis) vs flat (one call), ${hierarchy.family}, ${HIERARCHY_ITEMS} tasks, ${BUDGET} tokens per task:`);
      console.log("arm             success [95% CI]               tokens/task   quality per 1,000 tokens   budget ran out");
      for (const a of hierarchy.arms) console.log(`${a.arm.padEnd(15)} ${String(a.successes).padStart(3)}/${a.tasks} ${pct(a.success.rate)} [${pct(a.success.ci[0])}, ${pct(a.success.ci[1])}]   ${a.tokensPerTask.toFixed(0).padStart(6)}        ${a.qualityPer1kTokens.toFixed(3).padStart(6)}                     ${a.budgetInterrupted}`);
      console.log(`difference (hierarchical − flat): ${signed(hierarchy.difference.meanDiff)} points [${signed(hierarchy.difference.ci[0])}, ${signed(hierarchy.difference.ci[1])}], paired over the same tasks (bootstrap, seed ${SEED}).`);
      if (sim) console.log("On the simulator both arms' accuracies are planted: this demonstrates the pipeline, not a real model's effect.");
    }
    if (args.out) {
      writeFileSync(args.out, JSON.stringify({ seed: SEED, train: TRAIN, items: ITEMS, optimizer: args.optimizer, model: config.llmModel, simulator: Boolean(sim), families: reports, ...(hierarchy ? { hierarchy } : {}) }, null, 2) + "\n");
      console.log(`JSON report: ${args.out}`);
    }
  } finally {
    await db.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline handles the training tasks; each run becomes a trace closed with the checked answer. */
async function recordBaselineRuns(db: Awaited<ReturnType<typeof openDatabase>>, model: ChatModel, version: ReturnType<typeof baselineVersion>, tasks: readonly Task[], metric: Awaited<ReturnType<typeof resolveMetric>>): Promise<void> {
  const traces = await mapWithConcurrency(tasks, CONCURRENCY, async (task) => {
    const startedAt = new Date().toISOString();
    let outputs: Record<string, unknown> | undefined;
    let tokens = { prompt: 0, completion: 0 };
    try {
      const p = await predict(model, version, task.input, { seed: SEED });
      outputs = p.outputs;
      tokens = { prompt: p.usage.promptTokens, completion: p.usage.completionTokens };
    } catch (e) {
      if (!(e instanceof InvalidModelOutputError)) throw e;
    }
    const example = { id: task.key, input: task.input, output: task.expected, success: true, score: null, feedback: null, startedAt };
    const right = outputs ? (await metric.score(example, outputs)).score >= 1 : false;
    // The checked answer is the trace's output (the gold, as a user's confirmation would be); the
    // score says whether the agent itself was right, so only its right answers become demos.
    return {
      id: randomUUID(),
      agent: version.name,
      signature: version.name,
      promptVersion: version.version,
      input: task.input,
      output: task.expected,
      outcome: { success: true, score: right ? 1 : 0, feedback: right ? "checked: correct" : `checked: expected ${JSON.stringify(task.expected)}, got ${JSON.stringify(outputs ?? null)}` },
      startedAt,
      endedAt: new Date().toISOString(),
      tokens,
    };
  });
  const result = await ingestTraces(db.forTenant("default").pool, "default", traces);
  if (result.rejected > 0) throw new Error(`efficacy traces rejected: ${JSON.stringify(result.results.slice(0, 3))}`);
}

await main();
