import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, compiledVersion, git, type TestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { createGitPromptStore } from "../../src/registry/git-prompt-store.js";
import { recordCandidate } from "../../src/registry/record-candidate.js";
import { createApp } from "../../src/http/app.js";
import { versionRoutes } from "../../src/http/routes/versions.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";

const candidate = compiledVersion({
  version: "1.1.0",
  parent: "1.0.0",
  instructions: "Check pod status first.",
  evaluation: { metric: "exact_match", devSetSize: 20, parentScore: { mean: 0.5, ci: [0.4, 0.6] }, score: { mean: 0.75, ci: [0.6, 0.85] } },
  provenance: { optimizer: "guideline_induction", llmCalls: 3, tokens: 900 },
});

describe("versions from the command line", () => {
  let repo: TestRepo;
  let data: { dir: string; remove(): void };
  let env: Record<string, string>;
  beforeAll(async () => {
    repo = createTestRepo();
    data = makeTempDir("meta-agent-cli-");
    // Versions committed to git by another process: the CLI imports them into its mirror.
    const store = await createGitPromptStore({ repoDir: repo.dir });
    await store.save("default", compiledVersion(), { summary: "Hand-written baseline" });
    await store.save("default", candidate, { summary: "Pod-first instructions" });
    env = { META_AGENT_DATA_DIR: data.dir, PROMPTS_REPO_DIR: repo.dir, META_AGENT_GITHUB_TOKEN: "", GITHUB_TOKEN: "", LOG_LEVEL: "error" };
  });
  afterAll(() => {
    repo.remove();
    data.remove();
  });

  it("history lists versions with status, score and commit, marking the served one", async () => {
    const r = await runCli(["history", "diagnosis"], env, { cwd: data.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/VERSION\s+STATUS\s+DATE\s+SCORE\s+COMMIT\s+SUMMARY/);
    expect(lines[1]).toMatch(/^  1\.0\.0\s+superseded/);
    expect(lines[2]).toMatch(/^\* 1\.1\.0\s+active\s+\S+\s+0\.500 → 0\.750\s+[0-9a-f]{10}/);
  });

  it("diff prints a unified diff from parent to latest, colored on request", async () => {
    const plain = await runCli(["diff", "diagnosis", "--no-color"], env, { cwd: data.dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("--- versions/diagnosis.yaml (1.0.0)");
    expect(plain.stdout).toContain("+instructions: Check pod status first.");
    expect(plain.stdout).not.toContain("\u001b[");
    const colored = await runCli(["diff", "diagnosis", "1.0.0", "1.1.0", "--color"], env, { cwd: data.dir });
    expect(colored.stdout).toContain("\u001b[32m+instructions: Check pod status first.");
  });

  it("rollback refuses unknown versions with the valid list, then restores a version as a new commit", async () => {
    const bad = await runCli(["rollback", "diagnosis", "--to", "3.0.0"], env, { cwd: data.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("diagnosis has no version 3.0.0; valid versions: 1.0.0, 1.1.0");

    const ok = await runCli(["rollback", "diagnosis", "--to", "1.0.0"], env, { cwd: data.dir });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toMatch(/Rolled back diagnosis to 1\.0\.0: new version 1\.1\.1 \(parent 1\.1\.0\), commit [0-9a-f]{10} on main, tag diagnosis@1\.1\.1/);
    expect(git(repo.dir, "status", "--porcelain")).toBe("");

    const show = await runCli(["show", "diagnosis"], env, { cwd: data.dir });
    expect(show.stdout).toBe(git(repo.dir, "show", "main:versions/diagnosis.yaml"));
    expect(show.stdout).toContain("rollbackOf: 1.0.0");
  });
});

describe("versions over HTTP", () => {
  let t: TestDatabase;
  let repo: TestRepo;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    repo = createTestRepo();
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const deps: RegistryDeps = { db: t.db, store, git: store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger };
    await recordCandidate(deps, { tenant: "default", candidate, verdict: "promoted", summary: "Pod-first instructions" });
    const app = createApp({ logger: silentLogger, health: { isReady: async () => true, isShuttingDown: () => false }, routers: [versionRoutes(deps)] });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    repo.remove();
    await t.close();
  });

  it("GET /v1/versions/:name lists the history from the mirror", async () => {
    const res = await fetch(`${base}/v1/versions/diagnosis`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { versions: { version: string; status: string; current: boolean }[] };
    expect(body.versions.map((v) => [v.version, v.status, v.current])).toEqual([
      ["1.0.0", "superseded", false],
      ["1.1.0", "active", true],
    ]);
  });

  it("GET /v1/versions/:name/:version returns the YAML exactly as committed", async () => {
    const res = await fetch(`${base}/v1/versions/diagnosis/1.1.0`);
    const body = (await res.json()) as { content: string; commit: string; compiled: { instructions: string } };
    expect(body.content).toBe(git(repo.dir, "show", "diagnosis@1.1.0:versions/diagnosis.yaml"));
    expect(body.commit).toBe(git(repo.dir, "rev-parse", "diagnosis@1.1.0^{commit}").trim());
    expect(body.compiled.instructions).toBe("Check pod status first.");
    const missing = await fetch(`${base}/v1/versions/diagnosis/7.0.0`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { details: { valid: string[] } } }).error.details.valid).toEqual(["1.0.0", "1.1.0"]);
  });

  it("GET /v1/versions/:name/diff defaults to parent → latest and validates its query", async () => {
    const res = await fetch(`${base}/v1/versions/diagnosis/diff`);
    const body = (await res.json()) as { from: string; to: string; diff: string };
    expect(body).toMatchObject({ from: "1.0.0", to: "1.1.0" });
    expect(body.diff).toContain("+instructions: Check pod status first.");
    const bad = await fetch(`${base}/v1/versions/diagnosis/diff?from=latest`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("from: must be a semantic version");
  });

  it("POST /v1/versions/:name/rollback commits a rollback version and rejects a bad body", async () => {
    const bad = await fetch(`${base}/v1/versions/diagnosis/rollback`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("to:");
    const res = await fetch(`${base}/v1/versions/diagnosis/rollback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ to: "1.0.0" }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ version: "1.1.1", parent: "1.1.0", rollbackOf: "1.0.0", saved: { branch: "main", tag: "diagnosis@1.1.1" } });
    expect(git(repo.dir, "log", "-1", "--format=%s", "main").trim()).toBe("diagnosis 1.1.1: Roll back to 1.0.0");
  });
});
