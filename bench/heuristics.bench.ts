// Shared heuristics library (issue 29, seed 004): does an agent that never saw a failure mode
// avoid it after another agent learnt it? On the simulator, `diagnosis` failed on OOMKilled
// incidents and the analyzer found why; `triage` handles the same kind of task (Kubernetes
// incidents) but has only met DNS ones. In the same run `triage` is compiled twice from the same
// traces — without the library (the baseline) and with it — and both versions answer the same
// held-out OOMKilled incidents. Then the version with the lesson serves those incidents as runs,
// their outcomes go into the replay buffer, and the lesson's Q-value is reported with its evidence.
import { pathToFileURL } from "node:url";
import { createTestDatabase } from "../test/support/database.js";
import { makeTempDir } from "../test/support/temp-dir.js";
import { DIAGNOSIS_BANK, OOM_GUIDELINE, insertTraces, simulatorCompileDeps } from "../test/support/compiler-fixtures.js";
import { INCIDENT_TASK, heldOutOomExamples, plantTeamScenario, writeTeamPrompts } from "../test/support/heuristics-fixtures.js";
import { startSimulator } from "../src/simulator/index.js";
import { OpenAIChatModel } from "../src/llm/openai-chat-model.js";
import { silentLogger } from "../src/log/logger.js";
import { createInMemoryPromptStore } from "../src/registry/prompt-store.js";
import { compileAndRecord, type CompileAndRecordDeps } from "../src/compiler/compile-and-record.js";
import { evaluateVersion } from "../src/compiler/evaluate-version.js";
import { resolveMetric } from "../src/compiler/metrics/resolve-metric.js";
import { loadSignature } from "../src/signature/load-signatures.js";
import { refreshHeuristics } from "../src/heuristics/refresh-heuristics.js";
import { listHeuristics } from "../src/heuristics/heuristic-store.js";
import type { HeuristicsSettings } from "../src/heuristics/settings.js";
import { wilsonInterval } from "../src/analyzer/statistics/wilson-interval.js";
import type { CompiledVersion } from "../src/domain/compiled-version.js";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";

const TENANT = "bench-team";
const settings: HeuristicsSettings = { enabled: true, learningRate: 0.1, initialQ: 0.5, replayCapacity: 1000, minUses: 10, retireBelow: 0.3, maxPerVersion: 5, reflections: 2, confidenceThreshold: 0.7 };
const r3 = (x: number) => Number(x.toFixed(3));
const ci = (k: number, n: number) => {
  const w = wilsonInterval(k, n);
  return `[${w.low.toFixed(2)}, ${w.high.toFixed(2)}]`;
};

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const n = options.quick ? 40 : 200;
  const tmp = makeTempDir();
  const t = await createTestDatabase();
  const sim = await startSimulator({ bank: DIAGNOSIS_BANK });
  try {
    const promptsDir = writeTeamPrompts(tmp.dir);
    await plantTeamScenario(t.db.pool, TENANT);
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    const store = createInMemoryPromptStore();
    const deps = (library: boolean): CompileAndRecordDeps =>
      simulatorCompileDeps({ db: t.db, store, model, promptsDir, registry: { db: t.db, store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger }, ...(library ? { heuristics: settings.maxPerVersion } : {}) });
    const { signature, file } = await loadSignature(promptsDir, "triage");
    const metric = await resolveMetric(signature, { signatureFile: file });
    const heldOut = heldOutOomExamples(n);
    const answerRight = async (v: CompiledVersion) => (await evaluateVersion(model, v, heldOut, metric)).map((s) => s.score === 1);

    // Baseline: triage compiled from its own traces only.
    const alone = (await compileAndRecord(deps(false), { tenant: TENANT, name: "triage", dryRun: true })).report.candidate!;
    const baseRight = (await answerRight(alone)).filter(Boolean).length;

    // The library learns from diagnosis; triage is compiled again with it.
    await refreshHeuristics({ db: t.db, model, logger: silentLogger, settings }, { tenant: TENANT, agent: "diagnosis" });
    const shared = await compileAndRecord(deps(true), { tenant: TENANT, name: "triage" });
    const withLesson = shared.report.candidate!;
    const right = await answerRight(withLesson);
    const k = right.filter(Boolean).length;

    // Serving: the runs answered with the lesson become traces with outcomes; the buffer credits it.
    await insertTraces(
      t.db.pool,
      TENANT,
      heldOut.map((e, i) => ({ id: `served-${i}`, signature: "triage", task: INCIDENT_TASK, promptVersion: shared.version!, input: e.input, output: e.output, success: right[i]!, score: right[i] ? 1 : 0, startedAt: new Date(Date.UTC(2026, 5, 1, 0, i)).toISOString() })),
    );
    await refreshHeuristics({ db: t.db, logger: silentLogger, settings }, { tenant: TENANT });
    const lesson = (await listHeuristics(t.db, TENANT)).find((h) => h.text === OOM_GUIDELINE)!;
    const lessonInVersion = withLesson.guidelines.find((g) => g.heuristicId === lesson.id);

    const gain = k / n - baseRight / n;
    return [
      {
        name: `triage (never met OOMKilled) on ${n} held-out OOMKilled incidents: share answered right with the library`,
        value: r3(k / n),
        unit: "share",
        baseline: r3(baseRight / n),
        ratio: baseRight > 0 ? r3(k / baseRight) : null,
        target: "with the library above the same-run baseline (95% Wilson intervals apart)",
        met: wilsonInterval(k, n).low > wilsonInterval(baseRight, n).high,
        detail: `${k}/${n} ${ci(k, n)} with the lesson learnt on diagnosis vs ${baseRight}/${n} ${ci(baseRight, n)} compiled without the library; difference ${gain >= 0 ? "+" : ""}${gain.toFixed(2)}; guideline carried: ${lessonInVersion ? `"${lessonInVersion.text}" (${lessonInVersion.learnedFrom})` : "none"}`,
      },
      {
        name: "Q-value of the shared lesson after triage served it",
        value: r3(lesson.qValue),
        unit: "Q",
        baseline: settings.initialQ,
        ratio: r3(lesson.qValue / settings.initialQ),
        target: "rises above the initial Q when the runs that carry it succeed",
        met: lesson.qValue > settings.initialQ,
        detail: `${lesson.uses} runs with it, mean reward ${lesson.evidence.meanReward ?? "–"}${lesson.evidence.ci ? ` [${lesson.evidence.ci[0]}, ${lesson.evidence.ci[1]}]` : ""}; α ${settings.learningRate}`,
      },
    ];
  } finally {
    await sim.close();
    await t.close();
    tmp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
