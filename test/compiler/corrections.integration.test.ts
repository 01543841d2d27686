// Corrected outputs as gold examples, end to end on the simulator: a kind of input the agent always
// gets wrong (OOM incidents) has only failed runs. Without corrections the dev set holds none of
// them, so the learned guideline that fixes them shows no gain and is rejected; with corrections
// (outcome.expected) they are dev examples, the candidate is scored on them against the corrected
// answer, and it is promoted. A correction added after the compile shows in `verify`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, type TestRepo } from "../support/git-fixtures.js";
import { DIAGNOSIS_BANK, OOM, OOM_GUIDELINE, OOM_WRONG, diagnosisTraces, insertAnalysisRun, insertTraces, simulatorCompileDeps, type TraceFixture } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import type { BankInput } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { silentLogger } from "../../src/log/logger.js";
import { createGitPromptStore, type GitPromptStore } from "../../src/registry/git-prompt-store.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";
import { compileAndRecord, type CompileAndRecordResult } from "../../src/compiler/compile-and-record.js";
import { verifyVersion } from "../../src/compiler/verify-version.js";
import { formatVerifyReport } from "../../src/cli/commands/verify.js";
import { setTraceOutcome } from "../../src/collector/query/set-trace-outcome.js";
import { loadSignature } from "../../src/signature/load-signatures.js";
import { loadExamples } from "../../src/compiler/load-examples.js";
import { measureDevSet } from "../../src/compiler/measure-dev-set.js";
import { demoPool, toDemo } from "../../src/compiler/optimizers/bootstrap-few-shot.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const IMAGE = { faultDetected: true, faultType: "misconfiguration", rootCause: "the image tag does not exist", nextTools: [] };

// OOM incidents: wrong unless the prompt carries the planted pattern's guideline. Image-pull
// incidents: always right, so a dev set of them alone cannot tell parent and candidate apart.
const BANK: BankInput = {
  families: [
    DIAGNOSIS_BANK.families!.find((f) => f.id === "oom")!,
    { id: "image", match: { keywords: ["ImagePullBackOff"] }, answer: IMAGE, baseAccuracy: 1 },
  ],
};

/** Corrections of the first 12 corrected OOM runs name every output field; the others, only the field that was wrong. */
const WHOLE = 12;
/** 40 successful image-pull runs and 22 failed OOM runs (the first `corrected` of them corrected to the right answer). */
function scenario(corrected: number): TraceFixture[] {
  const image = diagnosisTraces({ prefix: "img", symptom: "pod stuck in ImagePullBackOff", gold: IMAGE, wrong: OOM_WRONG, ok: 40, failed: 0 });
  const oom = diagnosisTraces({ prefix: "oom", symptom: "container OOMKilled, restarts climbing", gold: OOM, wrong: OOM_WRONG, ok: 0, failed: 22 });
  // With corrections, oom-fail-20 carries one the signature refuses (no such faultType): ignored.
  const fix = (i: number) => (i < corrected ? (i < WHOLE ? OOM : { faultType: "resource_exhaustion" }) : corrected > 0 && i === 20 ? { faultType: "cosmic_rays" } : undefined);
  return [...image, ...oom.map((t, i) => (fix(i) ? { ...t, expected: fix(i)! } : t))];
}
const index = (id: string) => Number(id.split("-").at(-1));

describe("corrected outputs as gold examples", { timeout: 240_000 }, () => {
  let t: TestDatabase;
  let sim: Simulator;
  let repo: TestRepo;
  let store: GitPromptStore;
  let registry: RegistryDeps;
  let plain: CompileAndRecordResult;
  let corrected: CompileAndRecordResult;
  const oomIds = (ids: readonly string[]) => ids.filter((id) => id.startsWith("oom-"));

  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestDatabase(), startSimulator({ bank: BANK })]);
    repo = createTestRepo();
    store = await createGitPromptStore({ repoDir: repo.dir, review: false });
    registry = { db: t.db, store, git: store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger };
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    for (const [tenant, n] of [["plain", 0], ["corrected", 20]] as const) {
      await insertTraces(t.db.pool, tenant, scenario(n));
      await insertAnalysisRun(t.db.pool, { tenant, agent: "diagnosis", id: `run-${tenant}`, patterns: [{ id: `pat-oom-${tenant}`, key: "failure_pattern:oom-misread", recommendations: [OOM_GUIDELINE], confidence: 0.93, actionable: true }] });
    }
    const deps = simulatorCompileDeps({ db: t.db, store, model, promptsDir: PROMPTS, registry });
    plain = await compileAndRecord(deps, { tenant: "plain", name: "diagnosis" });
    corrected = await compileAndRecord(deps, { tenant: "corrected", name: "diagnosis" });
  }, 240_000);
  afterAll(async () => {
    repo?.remove();
    await Promise.all([t?.close(), sim?.close()]);
  });

  it("without corrections, the failed OOM runs never reach the dev set and the guideline that fixes them is rejected", () => {
    const { report } = plain;
    expect(report.data).toMatchObject({ examples: 62, dev: 20, devCorrected: 0 });
    expect(oomIds(report.data.devIds)).toEqual([]);
    expect(report.candidate!.guidelines.map((g) => g.text)).toContain(OOM_GUIDELINE);
    // Both answer every image-pull incident right: nothing to gain on this dev set.
    expect(report.evaluation.parent!.mean).toBe(1);
    expect(report.evaluation.candidate!.mean).toBe(1);
    expect(report.verdict.promoted).toBe(false);
    expect(report.verdict.reason).toMatch(/not better enough/);
  });

  it("with corrections, the corrected OOM runs are dev examples scored against the correction, and the candidate that fixes them is promoted", () => {
    const { report } = corrected;
    const devOom = oomIds(report.data.devIds);
    expect(report.data).toMatchObject({ examples: 62, dev: 20 });
    expect(devOom.length).toBeGreaterThan(0);
    expect(report.data.devCorrected).toBe(devOom.length);
    // Only corrected failures are eligible: oom-fail-20 (its correction refused) and -21 (none) never are.
    expect(devOom.every((id) => index(id) < 20)).toBe(true);
    expect(report.notes).toContain("1 correction(s) ignored: they name no output field of the signature, or a value its field does not accept");
    expect(report.candidate!.guidelines.map((g) => g.text)).toContain(OOM_GUIDELINE);
    // The parent answers code_bug on them (faultDetected right, faultType wrong: 0.5 each); the candidate, the corrected resource_exhaustion.
    expect(report.evaluation.parent!.mean).toBeCloseTo(1 - (0.5 * devOom.length) / 20, 5);
    expect(report.evaluation.candidate!.mean).toBe(1);
    expect(report.evaluation.flips!.fixed.map((f) => f.traceId).sort()).toEqual([...devOom].sort());
    expect(report.evaluation.flips!.broken).toEqual([]);
    expect(report.verdict.promoted).toBe(true);
    expect(corrected.recorded).toMatchObject({ action: "committed", status: "active" });
  });

  it("splits the same way every time, with train and dev disjoint", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "diagnosis");
    const first = await measureDevSet(t.db.forTenant("corrected").pool, { tenant: "corrected", signature, signatureFile: file, devSetSize: 20 });
    expect(first).toEqual({ devExamples: 20, needed: 20, eligible: 60, eligibleNeeded: 40, goldOnly: true, corrected: 20 });
    expect(await measureDevSet(t.db.forTenant("plain").pool, { tenant: "plain", signature, signatureFile: file, devSetSize: 20 })).toMatchObject({ eligible: 40, corrected: 0 });
    const again = await compileAndRecord(simulatorCompileDeps({ db: t.db, store, model: new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 }), promptsDir: PROMPTS, registry }), { tenant: "corrected", name: "diagnosis", dryRun: true });
    expect(again.report.data.devIds).toEqual(corrected.report.data.devIds);
  });

  it("offers corrected training runs as demos of the corrected answer, marked as corrections", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const { examples } = await loadExamples(t.db.forTenant("corrected").pool, "corrected", signature);
    const train = examples.filter((e) => !corrected.report.data.devIds.includes(e.id));
    const pool = demoPool(signature, train);
    const fromCorrections = pool.filter((e) => e.id.startsWith("oom-"));
    // Whole corrections only: a partial one would show the run's own answer for the other fields.
    expect(fromCorrections.map((e) => e.id).sort()).toEqual(train.filter((e) => e.id.startsWith("oom-") && index(e.id) < WHOLE).map((e) => e.id).sort());
    expect(fromCorrections.length).toBeGreaterThan(0);
    const demo = toDemo(fromCorrections[0]!);
    expect(demo).toEqual({ input: fromCorrections[0]!.input, output: OOM, traceId: fromCorrections[0]!.id, corrected: true });
    // A partial correction is still the gold answer metrics compare with: the run's answer with the corrected field.
    const partial = examples.find((e) => e.id === "oom-fail-15")!;
    expect(partial).toMatchObject({ success: false, output: OOM_WRONG, expected: { ...OOM_WRONG, faultType: "resource_exhaustion" }, correctionComplete: false });
    // A run's own (wrong) output is never a demo's answer.
    expect(toDemo(pool.find((e) => e.id.startsWith("img-"))!)).not.toHaveProperty("corrected");
  });

  it("shows a correction added after the compile as a changed trace in verify", async () => {
    const version = corrected.version!;
    const verify = () => verifyVersion(registry, { tenant: "corrected", name: "diagnosis", version });
    expect((await verify()).status).toBe("intact");
    await setTraceOutcome(t.db.forTenant("corrected").pool, "corrected", "oom-fail-21", { success: false, expected: { faultDetected: true, faultType: "resource_exhaustion" } });
    const report = await verify();
    expect(report.status).toBe("tampered");
    expect(report.changed).toEqual([expect.objectContaining({ kind: "trace", id: "oom-fail-21" })]);
    expect(formatVerifyReport(report)).toContain("trace oom-fail-21");
  });
});
