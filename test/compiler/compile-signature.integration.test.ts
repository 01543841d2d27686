// The compiler end to end: real embedded Postgres with planted traces and patterns, the model
// simulator as the LLM (through the real openai SDK adapter), the offline hashing embedder.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { DIAGNOSIS_BANK as BANK, DNS, DNS_WRONG, OOM, OOM_GUIDELINE as GUIDELINE, OOM_WRONG, diagnosisTraces, plantDiagnosisScenario, insertTraces } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { HashingEmbedder } from "../../src/llm/hashing-embedder.js";
import { createSimilarTraces } from "../../src/memory/similar-traces.js";
import { silentLogger } from "../../src/log/logger.js";
import { createInMemoryPromptStore, type PromptStore } from "../../src/registry/prompt-store.js";
import { compileSignature, type CompileDeps, type CompileSettings } from "../../src/compiler/compile-signature.js";
import { compileAndRecord, type CompileAndRecordDeps } from "../../src/compiler/compile-and-record.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { evaluateVersion, meanScore } from "../../src/compiler/evaluate-version.js";
import { resolveMetric } from "../../src/compiler/metrics/resolve-metric.js";
import { loadExamples } from "../../src/compiler/load-examples.js";
import { compareVersions } from "../../src/domain/version-bump.js";
import { createTraceSource } from "../../src/collector/query/create-trace-source.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const settings = (over: Partial<CompileSettings> = {}): CompileSettings => ({
  promptsDir: PROMPTS,
  defaultOptimizer: "search",
  devSetSize: 20,
  minImprovement: 0.02,
  promotionConfidence: 0.95,
  confidenceThreshold: 0.7,
  maxLlmCalls: 400,
  maxTokens: 2_000_000,
  maxDemos: 4,
  backupOriginalPrompts: true,
  ...over,
});

describe("compileSignature against the simulator", () => {
  let t: TestDatabase;
  let sim: Simulator;
  let model: OpenAIChatModel;
  const embedder = new HashingEmbedder();
  const deps = (store: PromptStore, over: Partial<CompileSettings> = {}): CompileDeps => ({
    db: t.db,
    store,
    model,
    embedder,
    // As in production (demo_retrieval on): demos near the dev-set inputs.
    similarTraces: createSimilarTraces({ db: t.db, traces: createTraceSource(t.db), embedder }),
    logger: silentLogger,
    settings: settings(over),
    now: () => new Date("2026-02-01T00:00:00Z"),
  });

  // Compile and record with an in-memory store (git is covered by the registry and CLI tests).
  const recording = (store: PromptStore, over: Partial<CompileSettings> = {}): CompileAndRecordDeps => ({
    compile: deps(store, over),
    registry: { db: t.db, store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger },
  });

  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestDatabase(), startSimulator({ bank: BANK })]);
    model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    await plantDiagnosisScenario(t.db.pool, "acme");
    // beta: one family only, no patterns.
    await insertTraces(t.db.pool, "beta", diagnosisTraces({ prefix: "b-oom", symptom: "pod OOMKilled after deploy", gold: OOM, wrong: OOM_WRONG, ok: 40, failed: 4 }));
    // gamma: too few traces for a dev set.
    await insertTraces(t.db.pool, "gamma", diagnosisTraces({ prefix: "g-dns", symptom: "NXDOMAIN for payments", gold: DNS, wrong: DNS_WRONG, ok: 10, failed: 2 }));
  });
  afterAll(async () => {
    await Promise.all([t?.close(), sim?.close()]);
  });

  it("promotes a version whose guidelines come from the planted pattern and whose demos come only from successful training traces", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const store = createInMemoryPromptStore();
    const baseline = baselineVersion(signature, new Date("2026-01-01T00:00:00Z"));
    await store.save("acme", baseline, { summary: "baseline" });
    const stale = { text: "Restart every pod before diagnosing.", patternId: "pat-gone", patternKey: "success_pattern:restart-first", confidence: 0.8 };
    await store.save("acme", { ...baseline, version: "1.0.1", parent: "1.0.0", guidelines: [stale] }, { summary: "older compile" });

    const dry = await compileAndRecord(recording(store), { tenant: "acme", name: "diagnosis", dryRun: true });
    expect(dry.report.verdict.promoted).toBe(true);
    expect(dry.recorded).toBeNull();
    expect((await store.latest("acme", "diagnosis"))!.version).toBe("1.0.1");

    const { report, recorded } = await compileAndRecord(recording(store), { tenant: "acme", name: "diagnosis" });
    expect(recorded).toMatchObject({ action: "committed", status: "active" });
    expect(report.verdict).toMatchObject({ promoted: true });
    const candidate = report.candidate!;
    expect(compareVersions(candidate.version, "1.0.1")).toBeGreaterThan(0);
    expect(candidate.parent).toBe("1.0.1");

    // Guidelines: the planted actionable pattern, nothing from the weak one, the stale one dropped.
    expect(candidate.guidelines).toEqual([expect.objectContaining({ text: GUIDELINE, patternId: "pat-oom-acme", patternKey: "failure_pattern:oom-misread", confidence: 0.93 })]);

    // Demos: successful traces only, never from the dev set, with their trace ids.
    const successful = new Set([...Array(24).keys()].flatMap((i) => [`oom-ok-${i}`, `dns-ok-${i}`]));
    expect(candidate.demos.length).toBeGreaterThan(0);
    for (const demo of candidate.demos) {
      expect(successful.has(demo.traceId!)).toBe(true);
      expect(report.data.devIds).not.toContain(demo.traceId);
    }
    expect(report.data.dev).toBe(20);

    // Scores: the candidate beats its parent on the same dev examples, with intervals recorded.
    expect(report.evaluation.parent!.mean).toBeCloseTo(0.5, 5);
    expect(report.evaluation.candidate!.mean).toBeGreaterThan(report.evaluation.parent!.mean + 0.3);
    expect(candidate.evaluation).toMatchObject({ metric: "json_fields_match", devSetSize: 20, parentScore: report.evaluation.parent, score: report.evaluation.candidate });
    expect(candidate.provenance).toMatchObject({ optimizer: "search", analysisRunId: "run-1-acme", llmCalls: expect.any(Number) });
    expect(candidate.provenance.llmCalls).toBeGreaterThan(0);
    expect(report.spend.llmCalls).toBeGreaterThanOrEqual(candidate.provenance.llmCalls);

    // Saved through the store, and it really scores higher when run again on the simulator.
    const latest = (await store.latest("acme", "diagnosis"))!;
    expect(latest.version).toBe(candidate.version);
    const metric = await resolveMetric(signature, { signatureFile: `${PROMPTS}/diagnosis.yaml` });
    const { examples } = await loadExamples(t.db.pool, "acme", signature);
    const dev = examples.filter((e) => report.data.devIds.includes(e.id));
    const parent = (await store.get("acme", "diagnosis", "1.0.1"))!;
    expect(meanScore(await evaluateVersion(model, latest, dev, metric))).toBeGreaterThan(meanScore(await evaluateVersion(model, parent, dev, metric)));
  });

  it("rejects a candidate that is no better than its parent, and says why", async () => {
    const store = createInMemoryPromptStore();
    const { report, recorded } = await compileAndRecord(recording(store), { tenant: "beta", name: "diagnosis", optimizer: "bootstrap-few-shot" });
    expect(report.candidate!.demos.length).toBe(4);
    expect(report.evaluation.candidate!.mean).toBe(report.evaluation.parent!.mean);
    expect(report.verdict).toEqual({ promoted: false, reason: expect.stringMatching(/^candidate is not better enough: mean gain \+0\.000 < min_improvement 0\.02/) });
    // Mirrored as rejected with its reason; nothing served.
    expect(recorded).toMatchObject({ action: "rejected", status: "rejected" });
    expect(await store.latest("beta", "diagnosis")).toBeUndefined();
  });

  it("rewrites instructions by reflection and saves the baseline as 1.0.0 before the first promoted version", async () => {
    const store = createInMemoryPromptStore();
    const { report } = await compileAndRecord(recording(store), { tenant: "beta", name: "diagnosis", optimizer: "reflective" });
    expect(report.verdict.promoted).toBe(true);
    expect(report.candidate!.instructions).toContain("OOMKilled means the container exceeded its memory limit");
    expect(report.candidate!.version).toBe("1.1.0");
    expect(await store.versions("beta", "diagnosis")).toEqual(["1.0.0", "1.1.0"]);
    expect((await store.get("beta", "diagnosis", "1.0.0"))!.provenance.optimizer).toBe("baseline");
    // Another tenant is not served what beta learned.
    expect(await store.latest("gamma", "diagnosis")).toBeUndefined();
  });

  it("stops compilation when the LLM call budget is spent, and reports the spend", async () => {
    const store = createInMemoryPromptStore();
    const report = await compileSignature(deps(store), { tenant: "acme", name: "diagnosis", maxLlmCalls: 15 });
    expect(report.verdict).toEqual({ promoted: false, reason: "compilation stopped: LLM call budget exhausted (15 of 15 calls used)" });
    expect(report.spend).toMatchObject({ llmCalls: 15, maxLlmCalls: 15, exhausted: true });
    expect(report.spend.tokens).toBeGreaterThan(0);
    expect(await store.latest("acme", "diagnosis")).toBeUndefined();

    const tokens = await compileSignature(deps(store, { maxTokens: 5000 }), { tenant: "acme", name: "diagnosis" });
    expect(tokens.verdict.reason).toMatch(/^compilation stopped: token budget exhausted \(\d+ of 5000 tokens used\)$/);
    expect(tokens.spend.exhausted).toBe(true);
  });

  it("rejects an optimizer result identical to the current version without spending LLM calls", async () => {
    const report = await compileSignature(deps(createInMemoryPromptStore()), { tenant: "beta", name: "diagnosis", optimizer: "guideline-induction" });
    expect(report.unchanged).toBe(true);
    expect(report.verdict).toEqual({ promoted: false, reason: "the optimizer produced no change to the current version" });
    expect(report.spend.llmCalls).toBe(0);
  });

  it("never promotes on a dev set smaller than dev_set_size", async () => {
    const report = await compileSignature(deps(createInMemoryPromptStore()), { tenant: "gamma", name: "diagnosis", optimizer: "bootstrap-few-shot" });
    expect(report.data.dev).toBe(5);
    expect(report.verdict).toEqual({ promoted: false, reason: "dev set has 5 examples; at least 20 (dev_set_size) are needed to promote" });
  });

  it("reads only the tenant's traces of the signature, ignores extra fields and skips inputs that do not fit", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    await insertTraces(t.db.pool, "delta", [
      { id: "d1", signature: "diagnosis", input: { problemDescription: "disk full", traceContext: { span: 1 } }, output: { ...OOM, extra: 1 }, success: true },
      { id: "d2", signature: "diagnosis", input: { problemDescription: 42 }, output: OOM, success: true },
      { id: "d3", signature: "diagnosis", input: { problemDescription: "slow" }, output: { faultType: "nope" }, success: false },
      { id: "d4", signature: "localization", input: { problemDescription: "x", diagnosis: "y" }, output: null, success: true },
    ]);
    const loaded = await loadExamples(t.db.pool, "delta", signature);
    expect(loaded.examples.map((e) => e.id)).toEqual(["d1", "d3"]);
    expect(loaded.skipped).toBe(1);
    expect(loaded.examples[0]).toMatchObject({ input: { problemDescription: "disk full" }, output: OOM, success: true });
    expect(loaded.examples[1]!.output).toBeNull();
  });

  it("judges by the promotion objective: a gain that does not pay for its tokens is rejected under quality_cost, and tokens are reported beside quality", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const fresh = async () => {
      const store = createInMemoryPromptStore();
      await store.save("acme", baselineVersion(signature, new Date("2026-01-01T00:00:00Z")), { summary: "baseline" });
      return store;
    };
    const quality = await compileSignature(deps(await fresh()), { tenant: "acme", name: "diagnosis" });
    expect(quality.verdict.promoted).toBe(true);
    expect(quality.evaluation.objective).toBe("quality");
    expect(quality.evaluation.tokens.candidate!).toBeGreaterThan(quality.evaluation.tokens.parent!);
    const costly = await compileSignature(deps(await fresh(), { objective: { objective: "quality_cost", tokenPenalty: 20 } }), { tenant: "acme", name: "diagnosis" });
    expect(costly.evaluation.objective).toBe("quality_cost");
    // The same candidate, the same quality gain, but each 1,000 extra tokens cost 20 points.
    expect(costly.evaluation.qualityComparison).toEqual(quality.evaluation.comparison);
    expect(costly.evaluation.comparison!.meanDiff).toBeLessThan(0);
    expect(costly.verdict.promoted).toBe(false);
    expect(costly.verdict.reason).toContain("quality − 20 per 1,000 tokens");
  }, 120_000);
});
