// `meta-agent verify` as a user runs it: the built CLI compiles into a temp git repository on the
// simulator, verifies the version as intact, then a trace is edited in the database and the same
// command fails naming it, with the trace's inclusion proof.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../support/database.js";
import { runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { DIAGNOSIS_BANK, plantDiagnosisScenario } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

// Steps compile on the simulator (and the CLI starts its embedded database): room on a loaded machine.
describe("meta-agent verify", { timeout: 120_000 }, () => {
  const tmp = makeTempDir();
  const dataDir = path.join(tmp.dir, "data");
  let sim: Simulator;
  let repo: TestRepo;
  let env: Record<string, string>;
  const withDb = async (fn: (q: (sql: string, v?: unknown[]) => Promise<unknown>) => Promise<void>) => {
    const t = await createTestDatabase({ META_AGENT_DATA_DIR: dataDir });
    try {
      await fn((sql, v) => t.db.pool.query(sql, v));
    } finally {
      await t.db.close();
    }
  };

  beforeAll(async () => {
    const t = await createTestDatabase({ META_AGENT_DATA_DIR: dataDir });
    await plantDiagnosisScenario(t.db.pool, "acme");
    await t.db.close();
    sim = await startSimulator({ bank: DIAGNOSIS_BANK });
    repo = createTestRepo();
    env = { META_AGENT_DATA_DIR: dataDir, META_AGENT_PROMPTS_DIR: PROMPTS, PROMPTS_REPO_DIR: repo.dir, LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "0", GITHUB_TOKEN: "", META_AGENT_GITHUB_TOKEN: "", LOG_LEVEL: "error" };
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    repo?.remove();
    tmp.remove();
  });

  let version: string;

  it("says a freshly compiled version is intact", async () => {
    const compiled = await runCli(["compile", "diagnosis", "--tenant", "acme", "--optimizer", "guideline-induction", "--json"], env, { cwd: tmp.dir });
    expect(compiled.code, compiled.stderr).toBe(0);
    version = JSON.parse(compiled.stdout).recorded.version as string;
    expect(git(repo.dir, "log", "-1", "--format=%(trailers:key=Sources-Root,valueonly)", `acme/diagnosis@${version}`)).toMatch(/^[0-9a-f]{64} \(60 traces, 2 patterns, 0 heuristics, 0 demos\)/);

    const ok = await runCli(["verify", "diagnosis", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`diagnosis ${version} (tenant acme): INTACT`);
    expect(ok.stdout).toMatch(/over 60 traces, 2 patterns, 0 heuristics, 0 demos/);
    expect(ok.stdout).toContain("git tag matches");
  });

  it("fails naming the trace once it is edited, with its inclusion proof", async () => {
    await withDb(async (q) => void (await q(`UPDATE traces SET input = jsonb_set(input, '{namespace}', '"prod"') WHERE tenant_id = 'acme' AND id = 'dns-ok-7'`)));
    const bad = await runCli(["verify", "diagnosis", version, "--tenant", "acme", "--trace", "dns-ok-7"], env, { cwd: tmp.dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`diagnosis ${version} (tenant acme): TAMPERED`);
    expect(bad.stdout).toMatch(/changed {2}trace dns-ok-7: [0-9a-f]{16}… → [0-9a-f]{16}…/);
    expect(bad.stdout).toMatch(/inclusion proof of trace dns-ok-7: leaf \d+ of 62, valid against the recorded root; the trace is changed now/);

    const json = JSON.parse((await runCli(["verify", "diagnosis", version, "--tenant", "acme", "--json"], env, { cwd: tmp.dir })).stdout);
    expect(json).toMatchObject({ status: "tampered", changed: [{ kind: "trace", id: "dns-ok-7" }], missing: [] });
  });

  it("says the hand-written baseline has no provenance (exit 3)", async () => {
    const baseline = await runCli(["verify", "diagnosis", "1.0.0", "--tenant", "acme"], env, { cwd: tmp.dir });
    expect(baseline.code).toBe(3);
    expect(baseline.stdout).toContain("UNRECORDED");
  });
});
