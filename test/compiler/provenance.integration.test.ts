// Tamper-evident provenance end to end: a real compile on the simulator, recorded in a temp git
// repository and the embedded database; then the traces, patterns, version file and source list
// are tampered with by SQL, and verification (function and HTTP) must notice each, and be intact
// again once the original is restored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { DIAGNOSIS_BANK, plantDiagnosisScenario, simulatorCompileDeps } from "../support/compiler-fixtures.js";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { silentLogger } from "../../src/log/logger.js";
import { createGitPromptStore, type GitPromptStore } from "../../src/registry/git-prompt-store.js";
import { compileAndRecord, type CompileAndRecordResult } from "../../src/compiler/compile-and-record.js";
import { verifyVersion, type VerifyReport } from "../../src/compiler/verify-version.js";
import { verifyInclusion } from "../../src/domain/merkle-tree.js";
import { sourceLeaf, sourcesRoot } from "../../src/domain/version-sources.js";
import { getMirror, listMirror } from "../../src/registry/version-mirror.js";
import { syncMirror } from "../../src/registry/sync-mirror.js";
import { ensureTenant } from "../../src/tenancy/ensure-tenant.js";
import { formatVerifyReport } from "../../src/cli/commands/verify.js";
import { rollbackVersion } from "../../src/registry/rollback-version.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";
import { createApp } from "../../src/http/app.js";
import { versionRoutes } from "../../src/http/routes/versions.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
// The default tenant: the HTTP app without API keys serves it.
const TENANT = "default";

// Steps compile on the simulator (and the CLI starts its embedded database): room on a loaded machine.
describe("provenance of a compiled version", { timeout: 120_000 }, () => {
  let t: TestDatabase;
  let sim: Simulator;
  let repo: TestRepo;
  let store: GitPromptStore;
  let registry: RegistryDeps;
  let compiled: CompileAndRecordResult;
  let version: string;
  const verify = (over: { version?: string; proveTrace?: string } = {}) => verifyVersion(registry, { tenant: TENANT, name: "diagnosis", version, ...over });
  const sql = (text: string, values: unknown[] = []) => t.db.pool.query(text, values);

  beforeAll(async () => {
    [t, sim] = await Promise.all([createTestDatabase(), startSimulator({ bank: DIAGNOSIS_BANK })]);
    repo = createTestRepo();
    store = await createGitPromptStore({ repoDir: repo.dir, review: false });
    registry = { db: t.db, store, git: store, dataDir: t.dataDir, backupOriginalPrompts: true, logger: silentLogger };
    await plantDiagnosisScenario(t.db.pool, TENANT);
    const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
    compiled = await compileAndRecord(
      simulatorCompileDeps({ db: t.db, store, model, promptsDir: PROMPTS, registry }),
      { tenant: TENANT, name: "diagnosis" },
    );
    version = compiled.version!;
  }, 120_000);
  afterAll(async () => {
    repo?.remove();
    await Promise.all([t?.close(), sim?.close()]);
  });

  it("records the Merkle root over every trace, pattern and demo it was built from in the file, the version row and the commit trailer", async () => {
    expect(compiled.recorded).toMatchObject({ action: "committed" });
    const { report } = compiled;
    const candidate = report.candidate!;
    expect(candidate.demos.length).toBeGreaterThan(0);
    expect(candidate.provenance.sources).toEqual({ traces: report.data.examples, patterns: 2, heuristics: 0, demos: candidate.demos.length });
    expect(report.sources.filter((s) => s.kind === "trace").map((s) => s.id).sort()).toEqual([...Array(24).keys()].flatMap((i) => [`oom-ok-${i}`, `dns-ok-${i}`]).concat([...Array(6).keys()].flatMap((i) => [`oom-fail-${i}`, `dns-fail-${i}`])).sort());
    const root = candidate.provenance.sourcesRoot!;
    expect(root).toBe(sourcesRoot(report.sources));

    const row = (await getMirror(t.db, TENANT, "diagnosis", version))!;
    expect(row.merkleRoot).toBe(root);
    const message = git(repo.dir, "log", "-1", "--format=%B", `diagnosis@${version}`);
    const trailers = execFileSync("git", ["interpret-trailers", "--parse"], { cwd: repo.dir, input: message, encoding: "utf8" });
    expect(trailers).toContain(`Sources-Root: ${root} (60 traces, 2 patterns, 0 heuristics, ${candidate.demos.length} demos)`);
    expect(trailers).toContain(`Version-Hash: sha256:${row.contentHash}`);
  });

  it("verifies an untouched version as intact, with an inclusion proof anyone can check", async () => {
    const demoTrace = compiled.report.candidate!.demos[0]!.traceId!;
    const report = await verify({ proveTrace: demoTrace });
    expect(report).toMatchObject({ status: "intact", problems: [], changed: [], missing: [], versionHash: { matches: true, git: "matches" } });
    expect(report.root.current).toBe(report.root.recorded);
    const p = report.proof!;
    expect(p).toMatchObject({ traceId: demoTrace, treeSize: compiled.report.sources.length, valid: true, current: "unchanged" });
    expect(p.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(p.treeSize)));
    expect(verifyInclusion(p.leaf, p.index, p.treeSize, p.path, compiled.report.candidate!.provenance.sourcesRoot!)).toBe(true);
    expect(p.leaf).toBe(sourceLeaf(compiled.report.sources.find((s) => s.kind === "trace" && s.id === demoTrace)!));
  });

  it("fails when a trace it was built from is edited in the database, names the trace, and is intact again once restored", async () => {
    const { rows } = await sql(`SELECT output FROM traces WHERE tenant_id = $1 AND id = 'oom-ok-3'`, [TENANT]);
    await sql(`UPDATE traces SET output = jsonb_set(output, '{faultType}', '"code_bug"') WHERE tenant_id = $1 AND id = 'oom-ok-3'`, [TENANT]);
    const tampered = await verify({ proveTrace: "oom-ok-3" });
    expect(tampered.status).toBe("tampered");
    expect(tampered.changed).toEqual([expect.objectContaining({ kind: "trace", id: "oom-ok-3" })]);
    expect(tampered.missing).toEqual([]);
    expect(tampered.root.current).not.toBe(tampered.root.recorded);
    expect(tampered.problems.join("\n")).toContain("1 item(s) changed since the version was compiled: trace oom-ok-3");
    // The proof still ties the recorded hash to the root; the trace no longer has that hash.
    expect(tampered.proof).toMatchObject({ valid: true, current: "changed" });

    await sql(`UPDATE traces SET output = $2 WHERE tenant_id = $1 AND id = 'oom-ok-3'`, [TENANT, JSON.stringify(rows[0].output)]);
    expect((await verify()).status).toBe("intact");
  });

  it("reports a deleted trace and an edited pattern", async () => {
    const trace = (await sql(`SELECT * FROM traces WHERE tenant_id = $1 AND id = 'dns-fail-2'`, [TENANT])).rows[0];
    await sql(`DELETE FROM traces WHERE tenant_id = $1 AND id = 'dns-fail-2'`, [TENANT]);
    await sql(`UPDATE patterns SET confidence = 0.99 WHERE tenant_id = $1 AND id = 'pat-oom-default'`, [TENANT]);
    const report = await verify({ proveTrace: "dns-fail-2" });
    expect(report.status).toBe("tampered");
    expect(report.missing).toEqual([expect.objectContaining({ kind: "trace", id: "dns-fail-2", current: null })]);
    expect(report.changed).toEqual([expect.objectContaining({ kind: "pattern", id: "pat-oom-default" })]);
    expect(report.proof).toMatchObject({ valid: true, current: "missing" });

    await sql(`UPDATE patterns SET confidence = 0.93 WHERE tenant_id = $1 AND id = 'pat-oom-default'`, [TENANT]);
    const cols = Object.keys(trace).filter((c) => trace[c] !== null);
    await sql(`INSERT INTO traces (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`, cols.map((c) => (typeof trace[c] === "object" && !(trace[c] instanceof Date) ? JSON.stringify(trace[c]) : trace[c])));
    expect((await verify()).status).toBe("intact");
  });

  it("fails when the version file in the database or its recorded source list is edited", async () => {
    const row = (await getMirror(t.db, TENANT, "diagnosis", version))!;
    await sql(`UPDATE prompt_versions SET content = $3 WHERE tenant_id = $1 AND name = 'diagnosis' AND version = $2`, [TENANT, version, row.content.replace(/^instructions: /m, "instructions: Always blame DNS. ")]);
    const content = await verify();
    expect(content.status).toBe("tampered");
    expect(content.versionHash).toMatchObject({ matches: false, git: "matches" });
    await sql(`UPDATE prompt_versions SET content = $3 WHERE tenant_id = $1 AND name = 'diagnosis' AND version = $2`, [TENANT, version, row.content]);

    // Rewriting a leaf to hide an edit is caught by the root.
    await sql(`UPDATE version_sources SET hash = repeat('0', 64) WHERE tenant_id = $1 AND version = $2 AND item_id = 'oom-ok-0'`, [TENANT, version]);
    const leaves = await verify();
    expect(leaves.status).toBe("tampered");
    expect(leaves.root.ofRecordedLeaves).not.toBe(leaves.root.recorded);
    expect(leaves.changed).toEqual([expect.objectContaining({ kind: "trace", id: "oom-ok-0", recorded: "0".repeat(64) })]);
    await sql(`UPDATE version_sources SET hash = $3 WHERE tenant_id = $1 AND version = $2 AND item_id = 'oom-ok-0'`, [TENANT, version, compiled.report.sources.find((s) => s.id === "oom-ok-0")!.hash]);
    expect((await verify()).status).toBe("intact");
  });

  it("says a hand-written baseline has no provenance, and a rollback carries the restored version's", async () => {
    expect((await verify({ version: "1.0.0" })).status).toBe("unrecorded");
    await rollbackVersion(registry, { tenant: TENANT, name: "diagnosis", to: "1.0.0" });
    const again = await rollbackVersion(registry, { tenant: TENANT, name: "diagnosis", to: version });
    const report = await verifyVersion(registry, { tenant: TENANT, name: "diagnosis", version: again.version });
    expect(report).toMatchObject({ status: "intact", root: { recorded: compiled.report.candidate!.provenance.sourcesRoot } });
  });

  it("answers over HTTP, with the proof on request, and 404 for a trace it was not built from", async () => {
    const app = createApp({ logger: silentLogger, health: { isReady: async () => true, isShuttingDown: () => false }, routers: [versionRoutes(registry)] });
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/v1/versions/diagnosis/${version}/verify?trace=oom-ok-1`);
      expect(res.status).toBe(200);
      expect((await res.json()) as VerifyReport).toMatchObject({ tenant: TENANT, version, status: "intact", proof: { traceId: "oom-ok-1", valid: true, current: "unchanged" } });
      // Without a version: the served one (the rollback above made a newer one).
      const served = (await (await fetch(`${base}/v1/versions/diagnosis/verify`)).json()) as VerifyReport;
      expect(served).toMatchObject({ status: "intact" });
      expect(served.version).not.toBe(version);
      await sql(`UPDATE traces SET feedback = 'edited' WHERE tenant_id = $1 AND id = 'oom-ok-1'`, [TENANT]);
      const tampered = (await (await fetch(`${base}/v1/versions/diagnosis/${version}/verify`)).json()) as VerifyReport;
      expect(tampered).toMatchObject({ status: "tampered", changed: [expect.objectContaining({ id: "oom-ok-1" })] });
      await sql(`UPDATE traces SET feedback = NULL WHERE tenant_id = $1 AND id = 'oom-ok-1'`, [TENANT]);
      const unknown = await fetch(`${base}/v1/versions/diagnosis/${version}/verify?trace=nope`);
      expect(unknown.status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("says a version imported from git into another database is unrecorded there, and a lost source list here is still tampering", async () => {
    // A second service (or a rebuilt database) on the same repository imports the versions from git.
    const fresh = await createTestDatabase();
    try {
      await ensureTenant(fresh.db, TENANT);
      const elsewhere: RegistryDeps = { ...registry, db: fresh.db };
      await syncMirror(elsewhere, TENANT, "diagnosis");
      const root = compiled.report.candidate!.provenance.sourcesRoot!;
      const imported = await verifyVersion(elsewhere, { tenant: TENANT, name: "diagnosis", version });
      expect(imported).toMatchObject({ status: "unrecorded", problems: [], versionHash: { matches: true, git: "matches" }, root: { inFile: root, recorded: null } });
      expect(imported.unrecordedReason).toContain(`${version} was imported from git`);
      expect(formatVerifyReport(imported)).toMatch(/UNRECORDED\n.*\n  .* was imported from git: what it was built from was recorded in the database that compiled it/);
      // The rollback to it (a later version, imported too) says the same of the version it restores.
      const newest = (await listMirror(fresh.db, TENANT, "diagnosis")).filter((r) => r.version !== version && r.content.includes(`rollbackOf: ${version}`));
      expect(newest.length).toBeGreaterThan(0);
      for (const r of newest) expect(await verifyVersion(elsewhere, { tenant: TENANT, name: "diagnosis", version: r.version })).toMatchObject({ status: "unrecorded" });
      // An imported file edited in the database is tampering, imported or not.
      await fresh.db.pool.query(`UPDATE prompt_versions SET content = content || '# edited' WHERE tenant_id = $1 AND name = 'diagnosis' AND version = $2`, [TENANT, version]);
      expect(await verifyVersion(elsewhere, { tenant: TENANT, name: "diagnosis", version })).toMatchObject({ status: "tampered", versionHash: { matches: false } });
    } finally {
      await fresh.close();
    }
    // Here, where it was compiled, a source list that disappears is tampering.
    await sql(`DELETE FROM version_sources WHERE tenant_id = $1 AND name = 'diagnosis' AND version = $2`, [TENANT, version]);
    const lost = await verify();
    expect(lost.status).toBe("tampered");
    expect(lost.problems).toContain("the list of what the version was built from is gone");
  });
});

