// Fault: the prompts repository cannot be written — the versions directory is not writable (a
// file stands where the directory should be), another git process holds the branch's ref lock,
// or .git is broken. Recording a promoted candidate (the commit step of a learning cycle) must
// fail with a clear error and leave everything as it was: no commit, no tag, no stray or
// half-written file, nothing mirrored; once the repository is repaired the same save succeeds.
// (The tests run as any user, root included, so "not writable" is built from the file system's
// structure, not from permissions that root ignores.)
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { compiledVersion, createTestRepo, git, type TestRepo } from "../support/git-fixtures.js";
import { makeTempDir } from "../support/temp-dir.js";
import { silentLogger } from "../../src/log/logger.js";
import { createGitPromptStore } from "../../src/registry/git-prompt-store.js";
import { recordCandidate } from "../../src/registry/record-candidate.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";
import { versionScope } from "../../src/registry/version-scope.js";

const candidate = (version: string, instructions: string) => compiledVersion({ version, parent: "1.0.0", instructions, provenance: { optimizer: "guideline_induction", llmCalls: 3, tokens: 300 } });

/** Everything a failed save of `tenant`'s version could have changed. */
function snapshot(repo: TestRepo, tenant: string) {
  const file = path.join(repo.dir, versionScope(tenant).file("diagnosis"));
  return {
    head: git(repo.dir, "rev-parse", "main").trim(),
    refs: git(repo.dir, "for-each-ref", "--format=%(refname) %(objectname)").trim(),
    status: git(repo.dir, "status", "--porcelain", "--untracked-files=all").trim(),
    versionFile: existsSync(file) ? readFileSync(file, "utf8") : null,
  };
}

describe("write errors in the prompts repository", () => {
  let t: TestDatabase;
  let repo: TestRepo;
  let data: { dir: string; remove(): void };
  let n = 0;
  const tenant = () => `faults-${n}`;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    n++;
    repo = createTestRepo();
    data = makeTempDir("meta-agent-data-");
  });
  afterEach(() => {
    repo.remove();
    data.remove();
  });

  const deps = async (): Promise<RegistryDeps> => {
    const store = await createGitPromptStore({ repoDir: repo.dir, review: false });
    return { db: t.db, store, git: store, dataDir: data.dir, backupOriginalPrompts: true, logger: silentLogger };
  };
  const mirrored = async () => (await t.db.prisma.promptVersion.findMany({ where: { tenantId: tenant() }, select: { version: true } })).map((v) => v.version).sort();

  /** Records 1.1.0 on a healthy repository, breaks it, tries 1.2.0, checks nothing moved, repairs, retries. */
  async function failsCleanly(breakRepo: () => void, repair: () => void, message: RegExp) {
    const d = await deps();
    await recordCandidate(d, { tenant: tenant(), candidate: candidate("1.1.0", "First improvement."), verdict: "promoted", summary: "first" });
    const before = snapshot(repo, tenant());
    expect(before.versionFile).toContain("First improvement.");

    breakRepo();
    const broken = snapshot(repo, tenant());
    const error = await recordCandidate(d, { tenant: tenant(), candidate: candidate("1.2.0", "Second improvement."), verdict: "promoted", summary: "second" }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error, "the save must fail").toBeDefined();
    expect(error!.message).toMatch(message);
    expect(error!.message).toContain(versionScope(tenant()).file("diagnosis"));
    expect(snapshot(repo, tenant())).toEqual(broken); // no commit, no tag, no stray file
    expect(git(repo.dir, "tag", "--list", `${tenant()}/diagnosis@*`).trim().split("\n")).toEqual([`${tenant()}/diagnosis@1.0.0`, `${tenant()}/diagnosis@1.1.0`]);
    expect(await mirrored()).toEqual(["1.0.0", "1.1.0"]);

    repair();
    expect(snapshot(repo, tenant())).toEqual(before);
    const retried = await recordCandidate(d, { tenant: tenant(), candidate: candidate("1.2.0", "Second improvement."), verdict: "promoted", summary: "second" });
    expect(retried).toMatchObject({ action: "committed", version: "1.2.0" });
    expect(readFileSync(path.join(repo.dir, versionScope(tenant()).file("diagnosis")), "utf8")).toContain("Second improvement.");
    expect(git(repo.dir, "status", "--porcelain").trim()).toBe("");
  }

  it("a versions directory that cannot be written to fails the save before anything is committed", async () => {
    const versions = path.join(repo.dir, "versions");
    const saved = () => readFileSync(path.join(repo.dir, versionScope(tenant()).file("diagnosis")), "utf8");
    let content = "";
    await failsCleanly(
      () => {
        // Replace the directory by a file: every write under it fails with ENOTDIR, even for root.
        content = saved();
        rmSync(versions, { recursive: true });
        writeFileSync(versions, "not a directory\n");
      },
      () => {
        rmSync(versions);
        const file = path.join(repo.dir, versionScope(tenant()).file("diagnosis"));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
      },
      /EEXIST|ENOTDIR|not a directory|already exists/i,
    );
  });

  it("a branch ref held by another git process fails the save and leaves no tag or partial file behind", async () => {
    const lock = path.join(repo.dir, ".git", "refs", "heads", "main.lock");
    await failsCleanly(
      () => writeFileSync(lock, ""),
      () => rmSync(lock),
      /main\.lock|lock/i,
    );
    expect(readdirSync(path.join(repo.dir, "versions"), { recursive: true }).filter((f) => String(f).includes("tmp"))).toEqual([]);
  });

  it("a tag that cannot be created fails the save without an untagged commit on the branch", async () => {
    const lock = path.join(repo.dir, ".git", "refs", "tags", `${tenant()}/diagnosis@1.2.0.lock`);
    await failsCleanly(
      () => {
        mkdirSync(path.dirname(lock), { recursive: true });
        writeFileSync(lock, "");
      },
      () => rmSync(lock),
      /lock/i,
    );
  });

  it("a corrupt object store fails the save with git's error and leaves the working tree as it was", async () => {
    const objects = path.join(repo.dir, ".git", "objects");
    const moved = `${objects}.away`;
    await failsCleanly(
      () => {
        // Objects cannot be written where a file stands in for the object directory.
        git(repo.dir, "repack", "-adq"); // pack the objects first, so reads still work from the pack after the swap
        rmSync(moved, { recursive: true, force: true });
        renameSync(objects, moved);
        mkdirSync(objects);
        for (const entry of ["pack", "info"]) renameSync(path.join(moved, entry), path.join(objects, entry));
        // Every loose-object fan-out directory is a file: hash-object -w cannot store a blob.
        for (let i = 0; i < 256; i++) writeFileSync(path.join(objects, i.toString(16).padStart(2, "0")), "");
      },
      () => {
        for (let i = 0; i < 256; i++) rmSync(path.join(objects, i.toString(16).padStart(2, "0")));
      },
      new RegExp(`Could not commit versions/faults-\\d+/diagnosis\\.yaml on main`),
    );
  });
});
