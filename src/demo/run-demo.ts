// The end-to-end demo as a function (main.ts prints it; a test runs it): agent traffic →
// a cycle that has too few traces → more traffic → a cycle that promotes a better version
// committed to git → traffic on the new version → the benchmark report.
import path from "node:path";
import { loadConfig } from "../config/index.js";
import { openDatabase } from "../db/database.js";
import { silentLogger, type Logger } from "../log/logger.js";
import { parseSignature } from "../domain/signature.js";
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { createChatModel } from "../llm/create-chat-model.js";
import { startSimulator } from "../simulator/index.js";
import { createLearningDeps } from "../learning/create-learning-deps.js";
import { runLearningCycle, type LearningCycleResult } from "../learning/run-learning-cycle.js";
import { describeCycleResult } from "../cli/describe-cycle.js";
import { benchmarkReport, type BenchmarkRow } from "../collector/query/benchmark-report.js";
import { unifiedDiff } from "../registry/prompt-diff.js";
import { ensureTenant } from "../tenancy/ensure-tenant.js";
import { getPatternSummary } from "../analyzer/list-patterns.js";
import { createDemoWorkspace } from "./demo-workspace.js";
import { BANK, SIGNATURE_NAME, SIGNATURE_SOURCE } from "./demo-scenario.js";
import { generateTraffic, type TrafficResult } from "./generate-traffic.js";

export interface DemoOptions {
  /** Working directory (a git repository and the embedded database are created inside). */
  dir: string;
  /** Where the narration goes. Default: nowhere. */
  print?: (line: string) => void;
  logger?: Logger;
}

export interface DemoResult {
  firstCycle: LearningCycleResult;
  secondCycle: LearningCycleResult;
  before: TrafficResult;
  after: TrafficResult;
  promotedVersion: string | null;
  history: string[];
  diff: string;
  report: BenchmarkRow[];
}

/** The demo's configuration for the working directory `dir` and the model at `llmBaseUrl` (the run and the dashboard share it). */
export function demoConfig(dir: string, llmBaseUrl: string, extra: Record<string, string> = {}) {
  const repoDir = path.join(dir, "agents");
  return loadConfig({
    env: {
      META_AGENT_DATA_DIR: path.join(dir, "data"),
      LLM_BASE_URL: llmBaseUrl,
      LLM_MODEL: "sim-chat",
      PROMPTS_REPO_DIR: repoDir,
      COMPILE_OPTIMIZER: "bootstrap-few-shot",
      MIN_TRACES_FOR_ANALYSIS: "10",
      DEV_SET_SIZE: "12",
      LOG_LEVEL: "silent",
      ...extra,
    },
    cwd: repoDir,
  });
}

const pct = (t: TrafficResult) => `${Math.round((100 * t.correct) / t.runs)}%`;
const perRun = (t: TrafficResult) => Math.round(t.tokens / t.runs);

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.print ?? (() => undefined);
  const logger = options.logger ?? silentLogger;
  const { repoDir, git } = createDemoWorkspace(options.dir);

  const sim = await startSimulator({ bank: BANK });
  // The configured dev-set size (20, the default), and the default optimizer, which combines the
  // guidelines induced from patterns with demos.
  const config = demoConfig(options.dir, sim.baseURL, { COMPILE_OPTIMIZER: "search", DEV_SET_SIZE: "20" });
  const db = await openDatabase(config, logger);
  try {
    await ensureTenant(db, "default");
    const model = createChatModel(config);
    const ctx = { db, logger, config, deps: createLearningDeps({ config, db, logger, cwd: repoDir, model }) };
    const baseline = baselineVersion(parseSignature(SIGNATURE_SOURCE, "prompts/diagnosis.yaml"));
    say(`Working in ${options.dir}: a git repository of agent prompts, an embedded Postgres, and a simulated LLM at ${sim.baseURL}.`);
    say(`The agent "${SIGNATURE_NAME}" classifies incidents; its hand-written prompt is version ${baseline.version}.\n`);

    say("1. The agent handles its first 6 incidents.");
    const early = await generateTraffic(db, model, baseline, { from: 0, count: 6 });
    say(`   ${early.correct}/${early.runs} diagnosed correctly.\n`);

    say("2. A learning cycle runs — too early:");
    const firstCycle = await runLearningCycle(ctx, { trigger: "demo" });
    say(indent(describeCycleResult(firstCycle)) + "\n");

    say("3. 54 more incidents arrive.");
    const before = await generateTraffic(db, model, baseline, { from: 6, count: 54 });
    say(`   ${before.correct}/${before.runs} diagnosed correctly (${pct(before)}) with version ${baseline.version}.\n`);

    say("4. The next learning cycle analyzes the traces, compiles a candidate, evaluates it against the current version on a held-out dev set, and commits it only if it wins:");
    const secondCycle = await runLearningCycle(ctx, { trigger: "demo" });
    say(indent(describeCycleResult(secondCycle)) + "\n");

    const produced = secondCycle.status !== "skipped" ? secondCycle.cycle.versionsProduced.find((v) => v.signature === SIGNATURE_NAME) : undefined;

    const { patterns, summary } = await getPatternSummary(db, { tenant: "default", agent: SIGNATURE_NAME, confidenceThreshold: config.confidenceThreshold });
    say(`   Patterns the analyzer found in the ${before.runs + early.runs} traces: ${summary.totalPatterns} (${summary.actionablePatterns} actionable). The actionable ones:`);
    for (const p of patterns.filter((x) => x.actionable).slice(0, 5)) say(`   - [${p.type}, ${p.evidenceKind} evidence, confidence ${p.confidence.toFixed(2)}] ${p.description}`);
    const verdict = secondCycle.status !== "skipped" ? secondCycle.cycle.verdicts.find((v) => v.signature === SIGNATURE_NAME) : undefined;
    if (verdict) say(`   Dev set: ${config.devSetSize} held-out incidents (dev_set_size); verdict: ${verdict.verdict}${verdict.reason ? ` — ${verdict.reason}` : ""}.`);
    say("");
    const history = git("log", "--format=%h %s", "--", `versions/${SIGNATURE_NAME}.yaml`).trim().split("\n").filter(Boolean);
    say("5. Version history (git log -- versions/diagnosis.yaml):");
    for (const line of history) say(`   ${line}`);
    say(`   tags: ${git("tag", "--list", `${SIGNATURE_NAME}@*`).trim().split("\n").join(", ")}\n`);

    let diff = "";
    let current: CompiledVersion = baseline;
    if (produced) {
      const file = `versions/${SIGNATURE_NAME}.yaml`;
      const from = git("show", `${SIGNATURE_NAME}@1.0.0:${file}`);
      const to = git("show", `${SIGNATURE_NAME}@${produced.version}:${file}`);
      current = parseCompiledVersion(to, file);
      diff = unifiedDiff(`${file} (1.0.0)`, from, `${file} (${produced.version})`, to);
      say(`6. What ${produced.version} learned: ${current.guidelines.length} guideline(s) from the patterns and ${current.demos.length} solved incident(s) as demos.`);
      for (const g of current.guidelines) say(`   guideline: "${g.text}"${g.patternKey ? ` (from pattern ${g.patternKey}${g.confidence !== undefined ? `, confidence ${g.confidence.toFixed(2)}` : ""})` : ""}`);
      for (const d of current.demos) say(`   demo: ${JSON.stringify(d.input)} → ${JSON.stringify(d.output)}`);
      if (current.evaluation) say(`   dev-set score: ${current.evaluation.parentScore?.mean.toFixed(2) ?? "?"} → ${current.evaluation.score?.mean.toFixed(2) ?? "?"} on ${current.evaluation.devSetSize} examples.\n`);
      say(`   The diff 1.0.0 → ${produced.version} (meta-agent diff diagnosis):`);
      say(indent(diff.trimEnd()) + "\n");
    } else {
      say("6. Nothing was promoted this time, so there is no diff to show.\n");
    }

    say(`7. The agent now runs version ${current.version} on 30 new incidents.`);
    const after = await generateTraffic(db, model, current, { from: 60, count: 30 });
    say(`   ${after.correct}/${after.runs} diagnosed correctly (${pct(after)}; was ${pct(before)}); tokens per run ${perRun(after)} (was ${perRun(before)}).\n`);

    const report = await benchmarkReport(db, { tenant: "default" });
    say("8. Benchmark log (meta-agent report): quality is the share of correct diagnoses; token ROI is quality per 1,000 tokens.");
    for (const r of report) {
      say(`   ${r.signature} ${r.version.padEnd(6)} runs ${String(r.runs).padStart(3)}  quality ${r.quality?.toFixed(2) ?? "–"}  avg tokens ${r.avgTokens.toFixed(0)}  token ROI ${r.tokenRoi?.toFixed(2) ?? "–"}`);
    }
    return { firstCycle, secondCycle, before, after, promotedVersion: produced?.version ?? null, history, diff, report };
  } finally {
    await db.close();
    await sim.close();
  }
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `   ${l}`)
    .join("\n");
