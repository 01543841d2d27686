// `npm run demo -- --canary`: canary releases end to end. The diagnosis agent's traffic goes
// through the orchestrator with rollout: canary. A candidate that does worse on live traffic (the
// simulator plants it) gets half of the traffic until the sequential test rolls it back by itself;
// then the learning cycle compiles a better version, which the canary promotes by itself. Each
// decision is a git commit carrying its evidence.
import { openDatabase, type Database } from "../db/database.js";
import { silentLogger, type Logger } from "../log/logger.js";
import { parseSignature } from "../domain/signature.js";
import { baselineVersion } from "../domain/baseline-version.js";
import type { Canary } from "../domain/canary.js";
import { createChatModel } from "../llm/create-chat-model.js";
import { startSimulator } from "../simulator/index.js";
import { createLearningDeps } from "../learning/create-learning-deps.js";
import { runLearningCycle } from "../learning/run-learning-cycle.js";
import { checkCanaries } from "../learning/canary/check-canaries.js";
import { createOrchestrator, type Orchestrator } from "../orchestrator/create-orchestrator.js";
import { createRegistryDeps } from "../registry/registry-deps.js";
import { startCanary } from "../registry/canary/start-canary.js";
import { canaryPolicyFrom } from "../registry/canary/canary-policy.js";
import { setTraceOutcome } from "../collector/query/set-trace-outcome.js";
import { ensureTenant } from "../tenancy/ensure-tenant.js";
import { createDemoWorkspace } from "./demo-workspace.js";
import { demoConfig } from "./run-demo.js";
import { BANK, SIGNATURE_NAME, SIGNATURE_SOURCE, incident } from "./demo-scenario.js";
import { generateTraffic } from "./generate-traffic.js";

export interface CanaryDemoOptions {
  dir: string;
  print?: (line: string) => void;
  logger?: Logger;
}

export interface CanaryDemoResult {
  rolledBack: Canary;
  promoted: Canary;
  /** `git log --all` subjects of the decision commits, newest first. */
  decisions: string[];
}

// The planted regression: a guideline that sounds plausible but makes the model blame code.
const RISKY_GUIDELINE = "When in doubt, treat an alert as a code regression.";
const CANARY_BANK = {
  families: BANK.families!.map((f) => ({ ...f, accuracyWhen: [{ phrase: "treat an alert as a code regression", accuracy: 0.05 }] })),
};

export async function runCanaryDemo(options: CanaryDemoOptions): Promise<CanaryDemoResult> {
  const say = options.print ?? (() => undefined);
  const logger = options.logger ?? silentLogger;
  const { repoDir, git } = createDemoWorkspace(options.dir);

  const sim = await startSimulator({ bank: CANARY_BANK });
  const config = demoConfig(options.dir, sim.baseURL, {
    CACHE_ENABLED: "false",
    EMBEDDER: "hash",
    ROLLOUT: "canary",
    CANARY_SHARE: "0.5",
    CANARY_MIN_RUNS: "15",
    // The simulator answers in milliseconds, so its p95 latency is the machine's load, not the
    // model's: the demo's decisions rest on quality (and tokens), never on a loaded machine.
    CANARY_MAX_LATENCY_INCREASE: "100",
    // The compiled candidate buys its accuracy with four demos (about 320 → 580–720 tokens a
    // run): this team accepts up to three times the tokens (the default, 1, allows double).
    CANARY_MAX_COST_INCREASE: "2",
  });
  const db = await openDatabase(config, logger);
  let orchestrator: Orchestrator | undefined;
  try {
    await ensureTenant(db, "default");
    const model = createChatModel(config);
    orchestrator = await createOrchestrator(config, db, logger, { canaryRefreshMs: 0 });
    const registry = await createRegistryDeps(config, db, logger, { cwd: repoDir });
    const checker = { db, registry, logger, onDecided: () => orchestrator?.canary.invalidate() };
    const policy = canaryPolicyFrom(config)!;
    const baseline = baselineVersion(parseSignature(SIGNATURE_SOURCE, "prompts/diagnosis.yaml"));
    say(`Working in ${options.dir}: a git repository of prompts, an embedded Postgres, a simulated LLM, and rollout: canary (share ${policy.settings.share}, confidence ${policy.settings.confidence}).\n`);

    say("1. The diagnosis agent handles 60 incidents with its hand-written prompt 1.0.0.");
    const before = await generateTraffic(db, model, baseline, { from: 0, count: 60 });
    say(`   ${before.correct}/${before.runs} diagnosed correctly.\n`);

    say(`2. Someone proposes 1.0.1, adding the guideline "${RISKY_GUIDELINE}". It starts as a canary: half of the live traffic.`);
    const risky = { ...baseline, version: "1.0.1", parent: "1.0.0", guidelines: [{ text: RISKY_GUIDELINE }], provenance: { optimizer: "hand-edited", llmCalls: 0, tokens: 0 } };
    await startCanary(registry, { tenant: "default", candidate: risky, incumbent: baseline, settings: policy.settings, summary: "hand-edited guideline" });
    const rolledBack = await serveUntilDecided(db, orchestrator, checker, 100, say);
    say(`   Decision: ${rolledBack.status} (${rolledBack.decision!.rule}) — ${rolledBack.decision!.reason}`);
    say(`   Commit ${rolledBack.commitSha?.slice(0, 10)} on ${git("branch", "--contains", rolledBack.commitSha ?? "HEAD", "--format=%(refname:short)").trim()}; tag ${SIGNATURE_NAME}@1.0.1 keeps the candidate. main still serves 1.0.0.\n`);

    say("3. The learning cycle compiles a candidate from the traces and evaluates it on a held-out dev set; it passes the gate, so it starts as a canary instead of being served at once:");
    const ctx = { db, logger, config, deps: createLearningDeps({ config, db, logger, cwd: repoDir, model, registry }) };
    const cycle = await runLearningCycle(ctx, { trigger: "demo" });
    const verdict = cycle.status !== "skipped" ? cycle.cycle.verdicts.find((v) => v.signature === SIGNATURE_NAME) : undefined;
    say(`   ${verdict ? `${verdict.verdict}: ${verdict.reason}` : `cycle ${cycle.status}`}`);
    const promoted = await serveUntilDecided(db, orchestrator, checker, 200, say);
    say(`   Decision: ${promoted.status} (${promoted.decision!.rule}) — ${promoted.decision!.reason}`);
    say(
      promoted.status === "promoted"
        ? `   Commit ${promoted.commitSha?.slice(0, 10)} on main: versions/${SIGNATURE_NAME}.yaml is now ${promoted.candidateVersion}, served to everyone.\n`
        : `   Commit ${promoted.commitSha?.slice(0, 10)}; main still serves ${promoted.incumbentVersion}.\n`,
    );

    const decisions = git("log", "--all", "--grep", "Canary-Id", "--format=%h %s").trim().split("\n").filter(Boolean);
    say("4. The decisions in git (git log --all --grep Canary-Id):");
    for (const line of decisions) say(`   ${line}`);
    say("\n   The full evidence is in each commit message (git show), in meta-agent history diagnosis, and in GET /v1/canaries.");
    return { rolledBack, promoted, decisions };
  } finally {
    await orchestrator?.close();
    await db.close();
    await sim.close();
  }
}

/** Live traffic in batches of 20 (each run closed with whether the diagnosis was right), a canary check after each. */
async function serveUntilDecided(db: Database, orchestrator: Orchestrator, checker: Parameters<typeof checkCanaries>[0], from: number, say: (l: string) => void): Promise<Canary> {
  for (let batch = 0; batch < 40; batch++) {
    const runs = [];
    for (let i = 0; i < 20; i++) {
      const n = from * 10 + batch * 20 + i;
      const { report, faultType } = incident(n);
      const run = await orchestrator.runSignature(SIGNATURE_NAME, { incidentReport: report }, { canaryKey: `incident-${n}` });
      runs.push({ run, right: run.outputs["faultType"] === faultType });
    }
    await orchestrator.recorder.flush();
    for (const { run, right } of runs) await setTraceOutcome(db.forTenant("default").pool, "default", run.traceId, { success: right });
    const [check] = await checkCanaries(checker, { tenant: "default" });
    if (!check) throw new Error("no canary is running");
    const e = check.evidence;
    say(`   after ${e.incumbent.runs + e.candidate.runs} runs: ${e.incumbent.version} ${e.incumbent.successes}/${e.incumbent.labelled}, ${e.candidate.version} ${e.candidate.successes}/${e.candidate.labelled}; Λ ${e.statistic?.toPrecision(3) ?? "–"} (decides at ${e.threshold.toFixed(0)})`);
    if (check.action === "decided") return check.canary;
  }
  throw new Error("the canary did not decide");
}
