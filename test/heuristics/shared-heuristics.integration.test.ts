// The shared heuristics library end to end on the simulator: a lesson learnt on `diagnosis` (its
// finding and a reflection on its failures) reaches `triage`, which never failed, through the
// compiler; runs that use it credit it; a heuristic whose runs fail retires; the library keeps one
// row per lesson and a replay buffer of bounded size; the version's provenance covers it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";
import { DIAGNOSIS_BANK, OOM, OOM_GUIDELINE, OOM_WRONG, insertTraces, simulatorCompileDeps } from "../support/compiler-fixtures.js";
import { INCIDENT_TASK, heldOutOomExamples, plantTeamScenario, writeTeamPrompts } from "../support/heuristics-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { silentLogger } from "../../src/log/logger.js";
import { createInMemoryPromptStore, type PromptStore } from "../../src/registry/prompt-store.js";
import { compileAndRecord, type CompileAndRecordDeps } from "../../src/compiler/compile-and-record.js";
import { evaluateVersion } from "../../src/compiler/evaluate-version.js";
import { resolveMetric } from "../../src/compiler/metrics/resolve-metric.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { refreshHeuristics } from "../../src/heuristics/refresh-heuristics.js";
import { addHeuristic, listHeuristics } from "../../src/heuristics/heuristic-store.js";
import { selectHeuristics } from "../../src/heuristics/select-heuristics.js";
import { replayBufferSize } from "../../src/heuristics/replay-buffer.js";
import { describeLibrary, teamLearningReport } from "../../src/heuristics/describe-library.js";
import type { HeuristicsSettings } from "../../src/heuristics/settings.js";
import { verifyVersion } from "../../src/compiler/verify-version.js";
import { upsertMirror } from "../../src/registry/version-mirror.js";
import { serializeCompiledVersion, type CompiledVersion } from "../../src/domain/compiled-version.js";
import { createApp } from "../../src/http/app.js";
import { heuristicRoutes } from "../../src/http/routes/heuristics.js";

const TENANT = "default";
const settings: HeuristicsSettings = { enabled: true, learningRate: 0.1, initialQ: 0.5, replayCapacity: 1000, minUses: 5, retireBelow: 0.3, maxPerVersion: 5, reflections: 2, confidenceThreshold: 0.7 };

// Steps compile on the simulator (and the CLI starts its embedded database): room on a loaded machine.
describe("shared heuristics library", { timeout: 120_000 }, () => {
  const tmp = makeTempDir();
  let t: TestDatabase;
  let sim: Simulator;
  let model: OpenAIChatModel;
  let promptsDir: string;
  const store: PromptStore = createInMemoryPromptStore();
  const deps = (library: boolean): CompileAndRecordDeps =>
    simulatorCompileDeps({ db: t.db, store, model, promptsDir, registry: { db: t.db, store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger }, ...(library ? { heuristics: settings.maxPerVersion } : {}) });
  const heldOutScore = async (version: CompiledVersion) => {
    const { signature, file } = await loadSignature(promptsDir, "triage");
    const metric = await resolveMetric(signature, { signatureFile: file });
    // Share answered fully right (a wrong diagnosis still matches half the fields).
    const scores = await evaluateVersion(model, version, heldOutOomExamples(20), metric);
    return scores.filter((s) => s.score === 1).length / scores.length;
  };
  let triageWithLesson: CompiledVersion;

  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestDatabase(), startSimulator({ bank: DIAGNOSIS_BANK })]);
    model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    promptsDir = writeTeamPrompts(tmp.dir);
    await plantTeamScenario(t.db.pool, TENANT);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([t?.close(), sim?.close()]);
    tmp.remove();
  });

  it("distils diagnosis's finding and a reflection on its failures into heuristics scoped to its kinds of task", async () => {
    const r = await refreshHeuristics({ db: t.db, model, logger: silentLogger, settings }, { tenant: TENANT, agent: "diagnosis" });
    expect(r.fromPatterns).toEqual({ added: 1, known: 0 });
    expect(r.fromReflections.added + r.fromReflections.known).toBe(2);
    expect(r.fromReflections.calls).toBe(2);
    expect(r.fromReflections.tokens).toBeGreaterThan(0);
    const all = await listHeuristics(t.db, TENANT);
    const fromFinding = all.find((h) => h.sourceKind === "pattern")!;
    expect(fromFinding).toMatchObject({ text: OOM_GUIDELINE, qValue: 0.5, uses: 0, status: "active", source: { agent: "diagnosis", patternKey: "failure_pattern:oom-misread", confidence: 0.93 }, scope: { agents: ["diagnosis"], tasks: [INCIDENT_TASK] } });
    const reflection = all.find((h) => h.sourceKind === "reflection")!;
    // The simulator's proposal for OOMKilled runs; the run reflected on was one of diagnosis's failures.
    expect(reflection.text).toContain("OOMKilled means the container exceeded its memory limit");
    expect(reflection.source.traceIds![0]).toMatch(/^oom-fail-\d$/);
    // A second refresh asks about other failed runs only, and adds nothing twice.
    // With one model call left of a cycle's budget, one reflection.
    const again = await refreshHeuristics({ db: t.db, model, logger: silentLogger, settings }, { tenant: TENANT, agent: "diagnosis", maxLlmCalls: 1 });
    expect(again.fromPatterns).toEqual({ added: 0, known: 1 });
    expect(again.fromReflections.calls).toBe(1);
    const reflected = (await listHeuristics(t.db, TENANT)).flatMap((h) => h.source.traceIds ?? []);
    expect(new Set(reflected).size).toBe(reflected.length);
  });

  it("gives triage, which never failed, the lesson learnt on diagnosis — with its provenance — and triage then answers held-out OOMKilled incidents right", async () => {
    const alone = await compileAndRecord(deps(false), { tenant: TENANT, name: "triage", dryRun: true });
    const aloneVersion = alone.report.candidate!;
    expect(aloneVersion.guidelines.some((g) => g.text.includes("OOMKilled"))).toBe(false);

    const shared = await compileAndRecord(deps(true), { tenant: TENANT, name: "triage" });
    expect(shared.report.verdict.promoted).toBe(true);
    triageWithLesson = shared.report.candidate!;
    const lesson = triageWithLesson.guidelines.find((g) => g.text === OOM_GUIDELINE)!;
    expect(lesson.heuristicId).toMatch(/^h-[0-9a-f]{16}$/);
    expect(lesson.learnedFrom).toBe(`agent diagnosis, finding failure_pattern:oom-misread (confidence 0.93); same task ${INCIDENT_TASK}`);

    const [withLibrary, withoutLibrary] = [await heldOutScore(triageWithLesson), await heldOutScore(aloneVersion)];
    expect(withoutLibrary).toBe(0);
    expect(withLibrary).toBe(1);

    // The heuristics are leaves of the version's Merkle tree: editing one breaks verification.
    expect(triageWithLesson.provenance.sources!.heuristics).toBeGreaterThanOrEqual(1);
    expect((await verifyVersion({ db: t.db, store }, { tenant: TENANT, name: "triage" })).status).toBe("intact");
    await t.db.pool.query(`UPDATE heuristics SET text = text || ' Always.' WHERE id = $1`, [lesson.heuristicId]);
    const tampered = await verifyVersion({ db: t.db, store }, { tenant: TENANT, name: "triage" });
    expect(tampered.changed).toEqual([expect.objectContaining({ kind: "heuristic", id: lesson.heuristicId })]);
    await t.db.pool.query(`UPDATE heuristics SET text = $2 WHERE id = $1`, [lesson.heuristicId, OOM_GUIDELINE]);
    expect((await verifyVersion({ db: t.db, store }, { tenant: TENANT, name: "triage" })).status).toBe("intact");
  });

  it("credits the heuristics of a version with the outcomes of the runs served with it", async () => {
    const version = triageWithLesson.version;
    await insertTraces(t.db.pool, TENANT, Array.from({ length: 12 }, (_, i) => ({ id: `run-triage-${i}`, signature: "triage", task: INCIDENT_TASK, promptVersion: version, input: { problemDescription: `api pod ${i} OOMKilled` }, output: OOM, success: i < 10, score: i < 10 ? 1 : 0, startedAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() })));
    await refreshHeuristics({ db: t.db, logger: silentLogger, settings }, { tenant: TENANT });
    const lesson = (await listHeuristics(t.db, TENANT)).find((h) => h.text === OOM_GUIDELINE)!;
    // Replayed oldest first from 0.5 with α = 0.1 over 10 successes then 2 failures.
    let q = 0.5;
    for (let i = 0; i < 12; i++) q += 0.1 * ((i < 10 ? 1 : 0) - q);
    expect(lesson.qValue).toBeCloseTo(q, 3);
    expect(lesson.uses).toBe(12);
    expect(lesson.evidence).toMatchObject({ uses: 12, meanReward: 0.8333, baselineRuns: 40, baselineReward: 1 });
    expect(lesson.evidence.ci![0]).toBeLessThan(0.8333);

    const view = await describeLibrary(t.db, TENANT, { capacity: settings.replayCapacity });
    expect(view.heuristics.find((h) => h.id === lesson.id)!.usedIn).toEqual([{ signature: "triage", version }]);
    const report = teamLearningReport(view);
    expect(report).toContain("═══ Team Learning Report ═══");
    expect(report).toMatch(/Agents: diagnosis, triage/);
    expect(report).toContain(`Q=${lesson.qValue.toFixed(2)} (from diagnosis, finding failure_pattern:oom-misread)`);
    expect(report).toContain(`used in: triage ${version}`);
  });

  it("retires a heuristic whose runs fail, so the next compile no longer draws it", async () => {
    const { heuristic: bad } = await addHeuristic(t.db, TENANT, { text: "OOMKilled pods are always a code bug: report code_bug.", sourceKind: "reflection", source: { agent: "diagnosis", traceIds: ["oom-fail-5"] }, scope: { agents: ["diagnosis"], tasks: [INCIDENT_TASK], tools: [] } }, settings.initialQ);
    expect((await selectHeuristics(t.db, TENANT, { agent: "triage", signature: "triage" }, 5)).map((a) => a.heuristic.id)).toContain(bad.id);
    // A version of triage that carried it (an experiment), and its runs failing.
    const experiment: CompiledVersion = { ...triageWithLesson, version: "9.0.0", guidelines: [{ text: bad.text, heuristicId: bad.id }] };
    await upsertMirror(t.db, TENANT, { version: experiment, content: serializeCompiledVersion(experiment), status: "rejected", summary: { text: "experiment" } });
    await insertTraces(t.db.pool, TENANT, Array.from({ length: 6 }, (_, i) => ({ id: `run-bad-${i}`, signature: "triage", task: INCIDENT_TASK, promptVersion: "9.0.0", input: { problemDescription: `db pod ${i} OOMKilled` }, output: OOM_WRONG, success: false, score: 0, startedAt: new Date(Date.UTC(2026, 3, 1, 0, i)).toISOString() })));
    const r = await refreshHeuristics({ db: t.db, logger: silentLogger, settings }, { tenant: TENANT });
    expect(r.values.retired.map((x) => x.id)).toEqual([bad.id]);
    const retired = (await listHeuristics(t.db, TENANT, { status: "retired" })).find((h) => h.id === bad.id)!;
    expect(retired.evidence.retiredBecause).toMatch(/^Q 0\.266 < 0\.3 after 6 runs/);
    expect((await selectHeuristics(t.db, TENANT, { agent: "triage", signature: "triage" }, 5)).map((a) => a.heuristic.id)).not.toContain(bad.id);
    const next = await compileAndRecord(deps(true), { tenant: TENANT, name: "triage", dryRun: true });
    expect(next.report.candidate!.guidelines.map((g) => g.heuristicId)).not.toContain(bad.id);
    expect(next.report.candidate!.guidelines.map((g) => g.text)).toContain(OOM_GUIDELINE);
  });

  it("stores a lesson learnt on two agents once, with both in its scope, and bounds the replay buffer", async () => {
    await addHeuristic(t.db, TENANT, { text: `  ${OOM_GUIDELINE.toUpperCase()} `, sourceKind: "pattern", source: { agent: "triage" }, scope: { agents: ["triage"], tasks: ["dns-failure"], tools: [] } }, 0.5);
    const same = (await listHeuristics(t.db, TENANT)).filter((h) => h.key === OOM_GUIDELINE.toLowerCase());
    expect(same).toHaveLength(1);
    expect(same[0]!.scope).toMatchObject({ agents: ["diagnosis", "triage"], tasks: ["dns-failure", INCIDENT_TASK] });
    expect(same[0]!.source.agent).toBe("diagnosis");

    expect(await replayBufferSize(t.db, TENANT)).toBe(60 + 40 + 12 + 6);
    await refreshHeuristics({ db: t.db, logger: silentLogger, settings: { ...settings, replayCapacity: 10 } }, { tenant: TENANT });
    expect(await replayBufferSize(t.db, TENANT)).toBe(10);
    // The newest runs stay: the failing experiment's.
    const kept = await t.db.pool.query(`SELECT trace_id FROM experience_replay WHERE tenant_id = $1 AND trace_id LIKE 'run-bad-%'`, [TENANT]);
    expect(kept.rowCount).toBe(6);
  });

  it("serves the library, the report and a refresh over HTTP", async () => {
    const app = createApp({ logger: silentLogger, health: { isReady: async () => true, isShuttingDown: () => false }, routers: [heuristicRoutes({ db: t.db, logger: silentLogger, settings })] });
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const list = (await (await fetch(`${base}/v1/heuristics?status=retired`)).json()) as { heuristics: { text: string; status: string }[]; replay: { size: number; capacity: number } };
      expect(list.heuristics.map((h) => h.status)).toEqual(["retired"]);
      expect(list.replay.capacity).toBe(1000);
      const report = (await (await fetch(`${base}/v1/heuristics/report`)).json()) as { report: string };
      expect(report.report).toContain("Shared heuristics:");
      const refresh = await fetch(`${base}/v1/heuristics/refresh`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ agent: "diagnosis" }) });
      expect(refresh.status).toBe(200);
      expect(await refresh.json()).toMatchObject({ fromPatterns: { added: 0, known: 1 } });
      const bad = await fetch(`${base}/v1/heuristics?status=maybe`);
      expect(bad.status).toBe(400);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
