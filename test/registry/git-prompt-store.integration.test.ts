import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createGitPromptStore } from "../../src/registry/git-prompt-store.js";
import { serializeCompiledVersion } from "../../src/domain/compiled-version.js";
import { createTestRepo, compiledVersion, git, type TestRepo } from "../support/git-fixtures.js";

describe("git prompt store", () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo({ remote: true });
  });
  afterEach(() => repo.remove());

  it("commits versions/<name>.yaml on the serving branch with a structured message and an annotated tag", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const v2 = compiledVersion({
      version: "1.1.0",
      parent: "1.0.0",
      instructions: "Check pods first, then logs.",
      guidelines: [{ text: "Check pod status before reading logs.", patternId: "p1", patternKey: "success_pattern:get_pods>get_logs", confidence: 0.91 }],
      evaluation: { metric: "exact_match", devSetSize: 20, parentScore: { mean: 0.6, ci: [0.5, 0.7] }, score: { mean: 0.8, ci: [0.7, 0.9] } },
    });
    const saved = await store.save("default", v2, { summary: "Learned guideline from pod-first pattern" });

    expect(saved).toMatchObject({ branch: "main", tag: "diagnosis@1.1.0", created: true });
    expect(git(repo.dir, "rev-parse", "main").trim()).toBe(saved.commit);
    expect(git(repo.dir, "show", "--format=", "--name-only", saved.commit).trim()).toBe("versions/diagnosis.yaml");
    const message = git(repo.dir, "log", "-1", "--format=%B", saved.commit);
    expect(message).toContain("diagnosis 1.1.0: Learned guideline from pod-first pattern");
    const parsed = execTrailers(repo.dir, saved.commit);
    expect(parsed).toContain("Signature: diagnosis");
    expect(parsed).toContain("Version: 1.1.0");
    expect(parsed).toContain("Parent: 1.0.0");
    expect(parsed).toContain("Score: 0.600 → 0.800 (+0.200)");
    expect(parsed).toContain("Pattern: success_pattern:get_pods>get_logs (confidence 0.91)");
    expect(git(repo.dir, "cat-file", "-t", "diagnosis@1.1.0").trim()).toBe("tag");
    expect(git(repo.dir, "tag", "-l", "--format=%(contents)", "diagnosis@1.1.0")).toContain("Learned guideline from pod-first pattern");
    expect(git(repo.dir, "show", "diagnosis@1.1.0:versions/diagnosis.yaml")).toBe(serializeCompiledVersion(v2));
    // The checked-out branch's working tree and index follow the commit: status stays clean.
    expect(readFileSync(path.join(repo.dir, "versions/diagnosis.yaml"), "utf8")).toBe(serializeCompiledVersion(v2));
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
    expect(await store.latest("default", "diagnosis")).toEqual(v2);
    expect(await store.versions("default", "diagnosis")).toEqual(["1.1.0"]);
  });

  it("saving the same version twice is a no-op and different content under a taken number is refused", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const first = await store.save("default", compiledVersion(), { summary: "baseline" });
    const again = await store.save("default", compiledVersion(), { summary: "baseline" });
    expect(again).toMatchObject({ created: false, commit: first.commit });
    await expect(store.save("default", compiledVersion({ instructions: "other" }), { summary: "x" })).rejects.toMatchObject({ code: "version_exists" });
    expect(git(repo.dir, "rev-list", "--count", "main").trim()).toBe("2");
  });

  it("20 concurrent writes give 20 commits and no lock errors", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const saves = Array.from({ length: 20 }, (_, i) =>
      store.save("default", compiledVersion({ version: `1.0.${i}`, guidelines: [{ text: `guideline ${i}` }] }), { summary: `write ${i}` }),
    );
    const results = await Promise.all(saves);
    expect(new Set(results.map((r) => r.commit)).size).toBe(20);
    expect(git(repo.dir, "rev-list", "--count", "main").trim()).toBe("21");
    expect(git(repo.dir, "tag", "-l", "diagnosis@*").trim().split("\n")).toHaveLength(20);
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
  });

  it("never commits, stashes or loses unrelated changes in the working tree", async () => {
    writeFileSync(path.join(repo.dir, "README.md"), "# agents\nlocal edit\n");
    writeFileSync(path.join(repo.dir, "notes.txt"), "untracked\n");
    writeFileSync(path.join(repo.dir, "staged.txt"), "staged\n");
    git(repo.dir, "add", "staged.txt");
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const saved = await store.save("default", compiledVersion(), { summary: "baseline" });

    expect(git(repo.dir, "show", "--format=", "--name-only", saved.commit).trim()).toBe("versions/diagnosis.yaml");
    expect(readFileSync(path.join(repo.dir, "README.md"), "utf8")).toBe("# agents\nlocal edit\n");
    expect(readFileSync(path.join(repo.dir, "notes.txt"), "utf8")).toBe("untracked\n");
    expect(git(repo.dir, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([" M README.md", "?? notes.txt", "A  staged.txt"]);
    expect(git(repo.dir, "stash", "list")).toBe("");
  });

  it("review mode commits on a review branch without switching the checked-out branch, and pushes it", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir, review: true, remote: "origin" });
    const before = git(repo.dir, "rev-parse", "main").trim();
    const saved = await store.save("default", compiledVersion({ version: "1.1.0", parent: "1.0.0", instructions: "new" }), { summary: "candidate" });

    expect(saved.branch).toBe("meta-agent/diagnosis-v1.1.0");
    expect(saved.push).toEqual({ remote: "origin", ok: true });
    expect(git(repo.dir, "symbolic-ref", "--short", "HEAD").trim()).toBe("main");
    expect(git(repo.dir, "rev-parse", "main").trim()).toBe(before);
    expect(git(repo.dir, "rev-parse", "meta-agent/diagnosis-v1.1.0^").trim()).toBe(before);
    expect(git(repo.remoteDir!, "rev-parse", "meta-agent/diagnosis-v1.1.0").trim()).toBe(saved.commit);
    expect(git(repo.remoteDir!, "cat-file", "-t", "diagnosis@1.1.0").trim()).toBe("tag");
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
    expect(await store.latest("default", "diagnosis")).toBeUndefined();
  });

  it("commits with a default identity when git has none configured", async () => {
    const bare = createTestRepo({ identity: false });
    // Hide the machine's global and system git configuration from the store's git processes.
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
    process.env.GIT_CONFIG_GLOBAL = "/dev/null";
    process.env.GIT_CONFIG_NOSYSTEM = "1";
    try {
      const store = await createGitPromptStore({ repoDir: bare.dir });
      const result = await store.save("default", compiledVersion(), { summary: "baseline" });
      const author = git(bare.dir, "log", "-1", "--format=%an <%ae>", result.commit).trim();
      let gitHasIdentity = true;
      try {
        git(bare.dir, "var", "GIT_COMMITTER_IDENT");
      } catch {
        gitHasIdentity = false;
      }
      if (!gitHasIdentity) expect(author).toBe("meta-agent <meta-agent@localhost>");
      expect(git(bare.dir, "tag", "-l", "--format=%(taggername)", "diagnosis@1.0.0").trim()).not.toBe("");
    } finally {
      if (saved.global === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = saved.global;
      if (saved.nosystem === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
      else process.env.GIT_CONFIG_NOSYSTEM = saved.nosystem;
      bare.remove();
    }
  });
});

describe("git prompt store per tenant", () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo({ remote: true });
  });
  afterEach(() => repo.remove());

  it("keeps each tenant's versions in its own file, tags and review branches; default keeps the original layout", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir });
    const acme = compiledVersion({ version: "1.1.0", instructions: "Acme's instructions." });
    const saved = await store.save("acme", acme, { summary: "acme learned" });
    expect(saved).toMatchObject({ branch: "main", tag: "acme/diagnosis@1.1.0" });
    expect(git(repo.dir, "show", "--format=", "--name-only", saved.commit).trim()).toBe("versions/acme/diagnosis.yaml");
    await store.save("default", compiledVersion({ version: "1.1.0", instructions: "Default's instructions." }), { summary: "default learned" });
    expect(git(repo.dir, "tag", "--list").split("\n").filter(Boolean).sort()).toEqual(["acme/diagnosis@1.1.0", "diagnosis@1.1.0"]);
    expect((await store.latest("acme", "diagnosis"))?.instructions).toBe("Acme's instructions.");
    expect((await store.latest("default", "diagnosis"))?.instructions).toBe("Default's instructions.");
    expect(await store.latest("globex", "diagnosis")).toBeUndefined();
    expect(await store.versions("globex", "diagnosis")).toEqual([]);
    expect(await store.versions("acme", "diagnosis")).toEqual(["1.1.0"]);
    // The same version number for two tenants is two versions: neither refuses the other.
    expect(await store.readText("acme", "diagnosis", "1.1.0")).toContain("Acme's instructions.");
    expect(await store.readText("default", "diagnosis", "1.1.0")).toContain("Default's instructions.");

    const review = await createGitPromptStore({ repoDir: repo.dir, review: true, remote: "origin" });
    const proposed = await review.save("acme", compiledVersion({ version: "1.2.0", parent: "1.1.0", instructions: "Acme's next." }), { summary: "acme candidate" });
    expect(proposed.branch).toBe("meta-agent/acme/diagnosis-v1.2.0");
    expect(git(repo.remoteDir!, "cat-file", "-t", "acme/diagnosis@1.2.0").trim()).toBe("tag");
  });

  it("refuses a tenant id that is not a slug (no path or ref tricks)", async () => {
    const store = await createGitPromptStore({ repoDir: repo.dir });
    for (const tenant of ["../x", "a/b", "Acme", "", "-x", "a..b"]) {
      await expect(store.save(tenant, compiledVersion(), { summary: "x" })).rejects.toMatchObject({ code: "invalid_request" });
    }
  });
});

function execTrailers(dir: string, commit: string): string {
  return git(dir, "log", "-1", "--format=%(trailers)", commit);
}
