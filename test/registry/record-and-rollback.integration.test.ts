import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from "vitest";
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { createTestRepo, compiledVersion, git, type TestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { createGitPromptStore } from "../../src/registry/git-prompt-store.js";
import { recordCandidate } from "../../src/registry/record-candidate.js";
import { appliedPatternIds } from "../../src/registry/resolve-applied-patterns.js";
import { findPatterns } from "../../src/analyzer/latest-patterns.js";
import { rollbackVersion } from "../../src/registry/rollback-version.js";
import { listHistory } from "../../src/registry/list-history.js";
import { diffVersions } from "../../src/registry/diff-versions.js";
import { showVersion } from "../../src/registry/show-version.js";
import { syncMirror } from "../../src/registry/sync-mirror.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";
import { versionScope } from "../../src/registry/version-scope.js";
import { serializeCompiledVersion, type CompiledVersion } from "../../src/domain/compiled-version.js";

const improved = (overrides: Partial<CompiledVersion> = {}) =>
  compiledVersion({
    version: "1.1.0",
    parent: "1.0.0",
    instructions: "Check pod status first, then read the logs of failing pods.",
    guidelines: [{ text: "Check pod status before reading logs.", patternId: "pat-1", confidence: 0.91 }],
    evaluation: { metric: "exact_match", devSetSize: 20, parentScore: { mean: 0.55, ci: [0.4, 0.7] }, score: { mean: 0.8, ci: [0.65, 0.92] } },
    provenance: { optimizer: "guideline_induction", llmCalls: 42, tokens: 12345 },
    ...overrides,
  });

describe("recording candidates and rolling back", () => {
  let t: TestDatabase;
  let repo: TestRepo;
  let data: { dir: string; remove(): void };
  let tenant = 0;
  const tenantId = () => `t${tenant}`;
  // Each test records for its own tenant, so every path, tag and branch is in that tenant's scope.
  const scope = () => versionScope(tenantId());

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    tenant++;
    repo = createTestRepo({ remote: true });
    data = makeTempDir("meta-agent-data-");
    await t.db.prisma.analysisRun.create({ data: { id: `run-${tenant}`, tenantId: tenantId(), agent: "diagnosis", status: "done", mode: "full" } });
    await t.db.prisma.pattern.create({
      data: {
        id: "pat-1" + tenant,
        tenantId: tenantId(),
        runId: `run-${tenant}`,
        agent: "diagnosis",
        type: "success_pattern",
        key: "success_pattern:before:get_pods>get_logs",
        description: "get_pods before get_logs",
        support: 12,
        frequency: 0.4,
        effect: 0.3,
        baseline: 0.5,
        confidence: 0.91,
        evidence: { success: ["trace-a", "trace-b", "trace-c", "trace-d"], failure: [] },
      },
    });
  });
  afterEach(() => {
    repo.remove();
    data.remove();
  });

  async function deps(options: { review?: boolean; github?: RegistryDeps["github"] } = {}): Promise<RegistryDeps> {
    const store = await createGitPromptStore({ repoDir: repo.dir, review: options.review ?? false, remote: "origin" });
    return { db: t.db, store, git: store, dataDir: data.dir, backupOriginalPrompts: true, logger: silentLogger, ...(options.github ? { github: options.github } : {}) };
  }
  const candidate = (o: Partial<CompiledVersion> = {}) => improved({ guidelines: [{ text: "Check pod status before reading logs.", patternId: "pat-1" + tenant, confidence: 0.91 }], ...o });
  // What compile-and-record passes: the analyzer's patterns the candidate's guidelines came from.
  const findings = () => findPatterns(t.db.forTenant(tenantId()).pool, tenantId(), appliedPatternIds(candidate()));

  it("auto mode commits the hand-written baseline as 1.0.0, then the candidate on the serving branch, and mirrors both", async () => {
    const d = await deps();
    const result = await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "promoted", summary: "Learned pod-first guideline", findings: await findings() });

    expect(result).toMatchObject({ action: "committed", version: "1.1.0", parent: "1.0.0", status: "active" });
    expect(result.baseline?.tag).toBe(`${tenantId()}/diagnosis@1.0.0`);
    expect(git(repo.dir, "log", "--format=%s", "main").split("\n").slice(0, 2)).toEqual([`${tenantId()}/diagnosis 1.1.0: Learned pod-first guideline`, `${tenantId()}/diagnosis 1.0.0: Hand-written baseline (backup of the original prompt)`]);
    expect(git(repo.dir, "show", "--format=", "--name-only", "main").trim()).toBe(`versions/${tenantId()}/diagnosis.yaml`);
    const baseline = await d.store.get(tenantId(), "diagnosis", "1.0.0");
    expect(baseline?.instructions).toBe("Read the incident report and name the root cause.");
    const trailers = git(repo.dir, "log", "-1", "--format=%(trailers)", "main");
    expect(trailers).toContain("Pattern: success_pattern:before:get_pods>get_logs (confidence 0.91)");
    expect(trailers).toContain(`Tenant: ${tenantId()}`);

    const history = await listHistory(d, { tenant: tenantId(), name: "diagnosis" });
    expect(history.map((h) => [h.version, h.status, h.current])).toEqual([
      ["1.0.0", "superseded", false],
      ["1.1.0", "active", true],
    ]);
    expect(history[1]).toMatchObject({ score: 0.8, parentScore: 0.55, commit: result.saved!.commit, branch: "main" });
    // Another tenant sees nothing.
    await expect(listHistory(d, { tenant: "someone-else", name: "diagnosis" })).rejects.toMatchObject({ code: "unknown_version" });

    const diff = await diffVersions(d, { tenant: tenantId(), name: "diagnosis" });
    expect(diff).toMatchObject({ from: "1.0.0", to: "1.1.0" });
    expect(diff.diff).toContain("+instructions: Check pod status first, then read the logs of failing pods.");
    expect(diff.diff).toContain("-instructions: Read the incident report and name the root cause.");
  });

  it("review mode creates and pushes the review branch, writes pull-request text with the diff, and opens the PR on GitHub", async () => {
    const requests: { url: string; auth: string; body: Record<string, unknown> }[] = [];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        requests.push({ url: req.url ?? "", auth: String(req.headers.authorization), body: JSON.parse(body) });
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ number: 7, html_url: "https://github.example/acme/agents/pull/7" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const d = await deps({ review: true, github: { token: "ghp_test", repository: "acme/agents", apiUrl } });
      const mainBefore = git(repo.dir, "rev-parse", "main").trim();
      const result = await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "promoted", summary: "Learned pod-first guideline", findings: await findings() });

      expect(result).toMatchObject({ action: "review-branch", version: "1.1.0", status: "proposed" });
      const branch = `meta-agent/${tenantId()}/diagnosis-v1.1.0`;
      expect(result.saved?.branch).toBe(branch);
      expect(git(repo.dir, "symbolic-ref", "--short", "HEAD").trim()).toBe("main");
      // The baseline went to main; the candidate only to the review branch cut from it.
      expect(git(repo.dir, "rev-parse", `${branch}^`).trim()).toBe(git(repo.dir, "rev-parse", "main").trim());
      expect(git(repo.dir, "rev-parse", "main~1").trim()).toBe(mainBefore);
      expect(git(repo.remoteDir!, "rev-parse", branch).trim()).toBe(result.saved!.commit);

      const file = path.join(data.dir, "pull-requests", `${branch}.md`);
      expect(result.pullRequest?.file).toBe(file);
      const text = readFileSync(file, "utf8");
      expect(text).toBe(result.pullRequest?.text);
      expect(text).toContain("| Version | 1.1.0 |");
      expect(text).toContain("| Parent | 1.0.0 |");
      expect(text).toContain("| Dev-set score before | 0.550 (95% CI 0.400–0.700) |");
      expect(text).toContain("| Dev-set score after | 0.800 (95% CI 0.650–0.920) |");
      expect(text).toContain("| LLM calls | 42 |");
      expect(text).toContain("| Tokens | 12345 |");
      expect(text).toContain("```diff");
      expect(text).toContain("+instructions: Check pod status first, then read the logs of failing pods.");
      expect(text).toContain("`success_pattern:before:get_pods>get_logs` | 0.91 |");
      expect(text).toContain("`trace-a`, `trace-b`, `trace-c`");
      expect(text).toContain(`meta-agent rollback diagnosis --to 1.0.0 --tenant ${tenantId()}`);
      expect(text).toContain(`| Tenant | \`${tenantId()}\` |`);

      // The pushed branch carries the text (a reviewer on any git host reads it in the commit).
      const body = git(repo.remoteDir!, "log", "-1", "--format=%B", branch);
      expect(body).toContain("## Changes and why");
      expect(body).toContain('- **Guideline added**: "Check pod status before reading logs.". Reason: finding `success_pattern:before:get_pods>get_logs`');
      expect(body).toContain("**Instructions rewritten.** This version replaces the hand-written instructions of 1.0.0");
      expect(body).toContain("+instructions: Check pod status first, then read the logs of failing pods.");
      expect(body).toContain(`Tenant: ${tenantId()}`);

      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ url: "/repos/acme/agents/pulls", auth: "Bearer ghp_test" });
      expect(requests[0]!.body).toMatchObject({ head: branch, base: "main", body: text });
      expect(result.pullRequest?.url).toBe("https://github.example/acme/agents/pull/7");

      // Recording the same candidate again changes nothing and opens no second PR.
      const again = await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "promoted", summary: "Learned pod-first guideline" });
      expect(again.action).toBe("already-recorded");
      expect(requests).toHaveLength(1);

      // Until its branch is merged the version is proposed and the baseline is the one served.
      expect(await syncMirror(d, tenantId(), "diagnosis")).toBe(0);
      const proposed = await listHistory(d, { tenant: tenantId(), name: "diagnosis" });
      expect(proposed.map((h) => [h.version, h.status, h.current])).toEqual([
        ["1.0.0", "active", true],
        ["1.1.0", "proposed", false],
      ]);

      // Once the review branch is merged, the mirror marks it active and the baseline superseded.
      git(repo.dir, "merge", "-q", "--ff-only", branch);
      expect(await syncMirror(d, tenantId(), "diagnosis")).toBeGreaterThan(0);
      const history = await listHistory(d, { tenant: tenantId(), name: "diagnosis" });
      expect(history.map((h) => [h.version, h.status, h.current])).toEqual([
        ["1.0.0", "superseded", false],
        ["1.1.0", "active", true],
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("rollback writes the target's content as a new patch version in a new commit, byte-identical but for its header", async () => {
    const d = await deps();
    await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "promoted", summary: "Learned pod-first guideline" });
    const target = (await d.git!.readText(tenantId(), "diagnosis", "1.0.0"))!;
    const before = git(repo.dir, "rev-parse", "main").trim();

    const result = await rollbackVersion(d, { tenant: tenantId(), name: "diagnosis", to: "1.0.0" });

    expect(result).toMatchObject({ version: "1.1.1", parent: "1.1.0", rollbackOf: "1.0.0" });
    expect(git(repo.dir, "rev-parse", "main~1").trim()).toBe(before);
    expect(git(repo.dir, "rev-list", "--count", "main").trim()).toBe("4");
    const restoredText = readFileSync(path.join(repo.dir, scope().file("diagnosis")), "utf8");
    const restored = (await d.store.latest(tenantId(), "diagnosis"))!;
    expect(restored.provenance.rollbackOf).toBe("1.0.0");
    const original = (await d.store.get(tenantId(), "diagnosis", "1.0.0"))!;
    const withOriginalHeader = serializeCompiledVersion({ ...restored, version: original.version, parent: original.parent, compiledAt: original.compiledAt, evaluation: original.evaluation, provenance: original.provenance });
    expect(withOriginalHeader).toBe(target);
    expect(restoredText).toBe(serializeCompiledVersion(restored));
    expect(git(repo.dir, "cat-file", "-t", scope().tag("diagnosis", "1.1.1")).trim()).toBe("tag");
    expect(git(repo.dir, "log", "-1", "--format=%(trailers)", "main")).toContain("Rollback-Of: 1.0.0");

    const history = await listHistory(d, { tenant: tenantId(), name: "diagnosis" });
    expect(history.map((h) => [h.version, h.status, h.current])).toEqual([
      ["1.0.0", "superseded", false],
      ["1.1.0", "rolled_back", false],
      ["1.1.1", "active", true],
    ]);
    expect((await showVersion(d, { tenant: tenantId(), name: "diagnosis" })).row.version).toBe("1.1.1");
  });

  it("refuses to roll back to an unknown version and lists the valid ones", async () => {
    const d = await deps();
    await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "promoted", summary: "x" });
    await expect(rollbackVersion(d, { tenant: tenantId(), name: "diagnosis", to: "9.9.9" })).rejects.toMatchObject({
      code: "unknown_version",
      message: "diagnosis has no version 9.9.9; valid versions: 1.0.0, 1.1.0",
    });
  });

  it("a rejected candidate is mirrored with its reason and never committed", async () => {
    const d = await deps();
    const before = git(repo.dir, "rev-parse", "main").trim();
    const result = await recordCandidate(d, { tenant: tenantId(), candidate: candidate(), verdict: "rejected", summary: "No gain", reason: "improvement 0.01 below min_improvement 0.02" });
    expect(result).toMatchObject({ action: "rejected", status: "rejected", version: "1.1.0" });
    expect(git(repo.dir, "rev-parse", "main").trim()).toBe(before);
    expect(existsSync(path.join(repo.dir, scope().file("diagnosis")))).toBe(false);
    const history = await listHistory(d, { tenant: tenantId(), name: "diagnosis" });
    expect(history).toEqual([expect.objectContaining({ version: "1.1.0", status: "rejected", commit: null })]);
  });
});
