// `meta-agent compile` as a user runs it: the built CLI, an embedded database with planted
// traces and patterns, the model simulator as LLM_BASE_URL, versions written to a directory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../support/database.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { DIAGNOSIS_BANK, OOM_GUIDELINE, plantDiagnosisScenario } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { parseCompiledVersion } from "../../src/domain/compiled-version.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

describe("meta-agent compile", () => {
  const tmp = makeTempDir();
  let sim: Simulator;
  let env: Record<string, string>;
  const versionFile = path.join(tmp.dir, "versions", "diagnosis.yaml");

  beforeAll(async () => {
    const t = await createTestDatabase({ META_AGENT_DATA_DIR: path.join(tmp.dir, "data") });
    await plantDiagnosisScenario(t.db.pool, "acme");
    await t.db.close();
    sim = await startSimulator({ bank: DIAGNOSIS_BANK });
    env = {
      META_AGENT_DATA_DIR: path.join(tmp.dir, "data"),
      META_AGENT_PROMPTS_DIR: PROMPTS,
      META_AGENT_VERSIONS_DIR: path.join(tmp.dir, "versions"),
      LLM_BASE_URL: sim.baseURL,
      LLM_MODEL: "sim-chat",
      LLM_MAX_RETRIES: "0",
      LOG_LEVEL: "warn",
    };
  });
  afterAll(async () => {
    await sim?.close();
    tmp.remove();
  });

  it("prints the candidate's diff and the gate's verdict on a dry run, and saves nothing", async () => {
    const r = await runCli(["compile", "diagnosis", "--tenant", "acme", "--dry-run"], env, { cwd: tmp.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Compiled diagnosis with search \(dry run\): 1\.0\.0 → 1\.\d+\.\d+/);
    expect(r.stdout).toContain("--- versions/diagnosis.yaml\t1.0.0 (hand-written baseline)");
    expect(r.stdout).toContain(`+  - text: "${OOM_GUIDELINE}"`);
    expect(r.stdout).toMatch(/\+\s+traceId: (oom|dns)-ok-\d+/);
    expect(r.stdout).toMatch(/parent {4}1\.0\.0 {4}0\.500 \[/);
    expect(r.stdout).toMatch(/Verdict: PROMOTED — mean gain \+0\.\d+/);
    expect(r.stdout).toMatch(/Spent: \d+\/300 LLM calls/);
    expect(r.stdout).toContain("Nothing saved (dry run).");
    expect(existsSync(versionFile)).toBe(false);
  });

  it("saves the promoted version to versions/<name>.yaml", async () => {
    const r = await runCli(["compile", "diagnosis", "--tenant", "acme", "--optimizer", "guideline-induction", "--json"], env, { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict.promoted).toBe(true);
    expect(report.diff).toContain(OOM_GUIDELINE);
    const saved = parseCompiledVersion(readFileSync(versionFile, "utf8"));
    expect(saved).toMatchObject({ version: "1.0.1", parent: "1.0.0", guidelines: [{ text: OOM_GUIDELINE, confidence: 0.93 }] });
    expect(saved.evaluation!.score!.mean).toBeGreaterThan(saved.evaluation!.parentScore!.mean);
  });

  it("names the problem for an unknown signature or optimizer", async () => {
    const unknown = await runCli(["compile", "nope", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no signature "nope".*known: analyst/);
    const badOptimizer = await runCli(["compile", "diagnosis", "--optimizer", "magic"], env, { cwd: tmp.dir });
    expect(badOptimizer.code).toBe(1);
    expect(badOptimizer.stderr).toMatch(/optimizer: unknown "magic" \(known: search, bootstrap-few-shot/);
  });
});
