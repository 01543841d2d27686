// `meta-agent compile` as a user runs it: the built CLI, an embedded database with planted
// traces and patterns, the model simulator as LLM_BASE_URL, versions written to a directory.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../support/database.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { createTestRepo, git } from "../support/git-fixtures.js";
import { DIAGNOSIS_BANK, OOM_GUIDELINE, plantDiagnosisScenario } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { parseCompiledVersion } from "../../src/domain/compiled-version.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

describe("meta-agent compile", () => {
  const tmp = makeTempDir();
  let sim: Simulator;
  let env: Record<string, string>;
  // The compile runs for tenant acme: its versions live in versions/acme/.
  const versionFile = path.join(tmp.dir, "versions", "acme", "diagnosis.yaml");

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
      // The directory is not a git repository: the registry warns and versions_dir is used.
      LOG_LEVEL: "error",
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
    expect(r.stdout).toContain("--- versions/acme/diagnosis.yaml\t1.0.0 (hand-written baseline)");
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

describe("meta-agent compile in a prompts git repository", () => {
  const repo = createTestRepo();
  let sim: Simulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    copyFileSync(path.join(PROMPTS, "diagnosis.yaml"), path.join(repo.dir, "prompts", "diagnosis.yaml"));
    git(repo.dir, "commit", "-qam", "diagnosis signature");
    const dataDir = path.join(repo.dir, "..", "data");
    const t = await createTestDatabase({ META_AGENT_DATA_DIR: dataDir });
    await plantDiagnosisScenario(t.db.pool, "acme");
    await t.db.close();
    sim = await startSimulator({ bank: DIAGNOSIS_BANK });
    env = { META_AGENT_DATA_DIR: dataDir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "0", LOG_LEVEL: "warn" };
  });
  afterAll(async () => {
    await sim?.close();
    repo.remove();
  });

  it("commits the baseline and the promoted version with tags, and mirrors them", async () => {
    const r = await runCli(["compile", "diagnosis", "--tenant", "acme", "--optimizer", "guideline-induction"], env, { cwd: repo.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Verdict: PROMOTED/);
    expect(r.stdout).toMatch(/Saved: acme\/diagnosis@1\.0\.0 \([0-9a-f]{12}\) on main, acme\/diagnosis@1\.0\.1 \([0-9a-f]{12}\) on main/);
    expect(git(repo.dir, "tag", "--list").split("\n").filter(Boolean)).toEqual(["acme/diagnosis@1.0.0", "acme/diagnosis@1.0.1"]);
    const committed = parseCompiledVersion(git(repo.dir, "show", "HEAD:versions/acme/diagnosis.yaml"));
    expect(committed).toMatchObject({ version: "1.0.1", parent: "1.0.0", guidelines: [{ text: OOM_GUIDELINE }] });
    expect(git(repo.dir, "status", "--porcelain")).toBe("");

    const t = await createTestDatabase({ META_AGENT_DATA_DIR: env.META_AGENT_DATA_DIR! });
    const { rows } = await t.db.pool.query(`SELECT version, status FROM prompt_versions WHERE tenant_id = 'acme' AND name = 'diagnosis' ORDER BY version`);
    await t.db.close();
    expect(rows).toEqual([{ version: "1.0.0", status: "superseded" }, { version: "1.0.1", status: "active" }]);
  });
});
