// Fault: SIGTERM to `meta-agent serve` while a scheduled learning cycle is mid-flight (the model
// simulator answers slowly, so the cycle is inside compile/evaluate when the signal lands). The
// service must exit 0 promptly, leave the prompts repository exactly as it was (no commit, tag or
// stray file), record the cycle as `aborted` with its reason and release the claim, so that a
// following `meta-agent learn` runs a normal cycle to a verdict.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { BIN, runCli, startServe } from "../support/cli.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";
import { diskIncidentBank, diskIncidentReport } from "../support/learning-fixtures.js";

// Slow enough that the signal lands while model calls are in flight.
const BANK = diskIncidentBank({ latencyMs: 400 });

/** Everything an interrupted commit could have touched in the prompts repository. */
function repoSnapshot(repo: TestRepo) {
  return {
    refs: git(repo.dir, "for-each-ref", "--format=%(refname) %(objectname)").trim(),
    log: git(repo.dir, "log", "--all", "--format=%H %s").trim(),
    status: git(repo.dir, "status", "--porcelain", "--untracked-files=all", "--ignored").trim(),
  };
}

async function insertIncidents(db: pg.Client, prefix: string): Promise<void> {
  await db.query(`INSERT INTO tenants (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING`);
  for (let i = 0; i < 40; i++) {
    await db.query(
      `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, success, started_at, input, output, content_hash)
       VALUES ('default', $1, 'diagnosis', 'diagnosis', '1.0.0', true, now(), $2, $3, $1)`,
      [`${prefix}-${i}`, JSON.stringify({ incidentReport: diskIncidentReport(i) }), JSON.stringify({ rootCause: "disk full on node-3" })],
    );
  }
}

const embeddedUrl = (dataDir: string) => (JSON.parse(readFileSync(path.join(dataDir, "embedded-db.lock"), "utf8")) as { databaseUrl: string }).databaseUrl;

describe("SIGTERM during a learning cycle", () => {
  let sim: Simulator;
  let repo: TestRepo;
  const data = makeTempDir("meta-agent-data-");

  beforeAll(async () => {
    sim = await startSimulator({ bank: BANK });
    repo = createTestRepo();
  });
  afterAll(async () => {
    await sim.close();
    repo.remove();
    data.remove();
  });

  /** Environment of a service learning from the database in `dataDir` into the prompts repository `repoDir`. */
  const learningEnv = (dataDir: string, repoDir: string): Record<string, string> => ({
    META_AGENT_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    LLM_BASE_URL: sim.baseURL,
    LLM_MODEL: "sim-chat",
    COMPILE_OPTIMIZER: "bootstrap-few-shot",
    DEV_SET_SIZE: "10",
    MIN_TRACES_FOR_ANALYSIS: "10",
    PROMPTS_REPO_DIR: repoDir,
  });

  /** A service with its own prompts repository and data dir, and a client of its embedded database. */
  async function startOwnService() {
    const own = createTestRepo();
    const ownData = makeTempDir("meta-agent-data-");
    const env = learningEnv(ownData.dir, own.dir);
    const serve = await startServe(env, { cwd: own.dir });
    const db = new pg.Client({ connectionString: embeddedUrl(ownData.dir) });
    await db.connect();
    const remove = () => {
      own.remove();
      ownData.remove();
    };
    return { own, env, serve, db, remove };
  }

  it("aborts the cycle, commits nothing, exits 0, and the next cycle succeeds", async () => {
    const env = { ...learningEnv(data.dir, repo.dir), LEARNING_INTERVAL: "1" };
    const before = repoSnapshot(repo);
    const serve = await startServe(env, { cwd: repo.dir });
    const db = new pg.Client({ connectionString: embeddedUrl(data.dir) });
    await db.connect();
    let exit: { code: number | null; ms: number };
    try {
      await insertIncidents(db, "serve");
      // A cycle that has claimed its row and is talking to the model.
      const calls = sim.calls.length;
      await waitFor(async () => sim.calls.length > calls && (await db.query(`SELECT 1 FROM learning_cycles WHERE status = 'running'`)).rows.length === 1, {
        timeoutMs: 30_000,
        what: "a learning cycle calling the model",
      });
    } finally {
      await db.end();
      exit = await serve.stop("SIGTERM");
    }

    expect(exit.code, serve.stderr()).toBe(0);
    // Bounded: in-flight model calls are aborted rather than waited for (generous for 2 busy cores).
    expect(exit.ms).toBeLessThan(20_000);
    expect(repoSnapshot(repo)).toEqual(before);

    // As a user sees it: the last cycle was aborted with the reason, nothing runs (the claim is
    // released), and the traces it did not finish are still new.
    const status = await runCli(["status", "--json"], env, { cwd: repo.dir });
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as { last_cycle: { status: string; reason: string }; running_cycle: string | null; signatures: { name: string; new_traces: number }[] };
    expect(s.last_cycle.status).toBe("aborted");
    expect(s.last_cycle.reason).toMatch(/^aborted: SIGTERM received/);
    expect(s.running_cycle).toBeNull();
    expect(s.signatures.find((x) => x.name === "diagnosis")!.new_traces).toBe(40);

    const learned = await runCli(["learn", "--json"], env, { cwd: repo.dir });
    expect(learned.code, learned.stderr).toBe(0);
    const next = JSON.parse(learned.stdout) as { status: string; cycle: { verdicts: { signature: string; verdict: string; reason: string }[]; versionsProduced: { commit: string }[] } };
    expect(next.status).toBe("completed");
    const verdict = next.cycle.verdicts.find((v) => v.signature === "diagnosis")!;
    expect(["promoted", "rejected"]).toContain(verdict.verdict);
    expect(verdict.reason).not.toBe("");
    if (verdict.verdict === "promoted") {
      expect(git(repo.dir, "rev-parse", "main").trim()).toBe(next.cycle.versionsProduced[0]!.commit);
      expect(git(repo.dir, "status", "--porcelain").trim()).toBe("");
    }
  });

  it("`meta-agent learn` stopped by SIGTERM records the cycle as aborted and exits 0", async () => {
    // The service only hosts the embedded database here; `learn` attaches to it.
    const { own, env, serve, db, remove } = await startOwnService();
    try {
      await insertIncidents(db, "learn");
      const before = repoSnapshot(own);
      const child = spawn(process.execPath, [BIN, "learn", "--json"], { env: { ...process.env, ...env }, cwd: own.dir });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
      const calls = sim.calls.length;
      await waitFor(async () => sim.calls.length > calls && (await db.query(`SELECT 1 FROM learning_cycles WHERE status = 'running'`)).rows.length === 1, { timeoutMs: 30_000, what: "learn calling the model" });
      child.kill("SIGTERM");
      expect(await exited, stderr).toBe(0);
      const result = JSON.parse(stdout) as { status: string; cycle: { reason: string; versionsProduced: unknown[] } };
      expect(result.status).toBe("aborted");
      expect(result.cycle.reason).toMatch(/^aborted: SIGTERM received/);
      expect(result.cycle.versionsProduced).toEqual([]);
      expect(repoSnapshot(own)).toEqual(before);
      const rows = await db.query<{ status: string }>(`SELECT status FROM learning_cycles WHERE tenant_id = 'default' ORDER BY started_at`);
      expect(rows.rows.map((r) => r.status)).toEqual(["aborted"]);
    } finally {
      await db.end();
      await serve.stop();
      remove();
    }
  });

  it("a cycle started with POST /v1/learning/cycles is aborted by SIGTERM, answers 503, and commits nothing", async () => {
    const { own, env, serve, db, remove } = await startOwnService();
    let exit: { code: number | null; ms: number };
    let response: Promise<Response>;
    const before = repoSnapshot(own);
    try {
      await insertIncidents(db, "http");
      const calls = sim.calls.length;
      response = fetch(`${serve.url}/v1/learning/cycles`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      await waitFor(async () => sim.calls.length > calls && (await db.query(`SELECT 1 FROM learning_cycles WHERE status = 'running'`)).rows.length === 1, { timeoutMs: 30_000, what: "the HTTP-started cycle calling the model" });
    } finally {
      await db.end();
      exit = await serve.stop("SIGTERM");
    }
    try {
      expect(exit.code, serve.stderr()).toBe(0);
      expect(exit.ms).toBeLessThan(20_000);
      const res = await response!;
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).not.toBeNull();
      const body = (await res.json()) as { error: { code: string; message: string; details: { cycle: { status: string; reason: string; versionsProduced: unknown[] } } } };
      expect(body.error.code).toBe("cycle_aborted");
      expect(body.error.message).toMatch(/^aborted: SIGTERM received/);
      expect(body.error.details.cycle).toMatchObject({ status: "aborted", versionsProduced: [] });
      expect(repoSnapshot(own)).toEqual(before);
      const status = await runCli(["status", "--json"], env, { cwd: own.dir });
      const s = JSON.parse(status.stdout) as { last_cycle: { status: string; reason: string }; running_cycle: string | null };
      expect(s.last_cycle).toMatchObject({ status: "aborted" });
      expect(s.last_cycle.reason).toMatch(/^aborted: SIGTERM received/);
      expect(s.running_cycle).toBeNull();
    } finally {
      remove();
    }
  });
});
