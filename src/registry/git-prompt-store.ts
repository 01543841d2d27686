// PromptStore on git. Each tenant's versions are a file on the serving branch (auto mode) or on a
// review branch (review mode), each version an annotated tag; registry/version-scope.ts names the
// paths, tags and branches. Every git operation goes through the repository's serialized queue.
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { compareVersions } from "../domain/version-bump.js";
import { UnrecoverableError, ValidationError } from "../errors.js";
import { gitQueueFor } from "./git-queue.js";
import { openGitRepo, type GitRepo } from "./git-repo.js";
import { commitMessage, tagMessage } from "./commit-message.js";
import { patternsOf } from "./applied-patterns.js";
import { VersionExistsError, type PromptStore, type SavedVersion } from "./prompt-store.js";
import { versionScope } from "./version-scope.js";

export interface GitPromptStoreOptions {
  /** The repository (or a directory inside it) holding prompts/ and versions/. */
  repoDir: string;
  /** Branch served and committed to in auto mode. Default: the branch checked out in repoDir. */
  servingBranch?: string;
  /** Review mode (`enable_auto_updates: false`): saves go to review branches. Default false. */
  review?: boolean;
  /** Remote review branches and their tags are pushed to. Default: none (nothing is pushed). */
  remote?: string;
  logger?: Logger;
}

/** A tagged version as git knows it. */
export interface TaggedVersion {
  version: string;
  tag: string;
  commit: string;
  /** Tagger date, ISO 8601. */
  date: string;
}

export interface GitPromptStore extends PromptStore {
  readonly repoDir: string;
  readonly servingBranch: string;
  /** The exact YAML text of one of the tenant's versions (from its tag), or undefined. */
  readText(tenant: string, name: string, version: string): Promise<string | undefined>;
  /** The tenant's tags of a signature, oldest version first. */
  tagged(tenant: string, name: string): Promise<TaggedVersion[]>;
  /** True when `commit` is on the serving branch (merged review branches included). */
  isServed(commit: string): Promise<boolean>;
  /** Reads the hand-written signature source `prompts/<name>.yaml`, shared by every tenant (working tree first, then the serving branch). */
  readSignatureSource(name: string): Promise<{ text: string; file: string } | undefined>;
}

const NAME = /^[a-z][a-z0-9_-]*$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new ValidationError(`name: "${name}" is not a signature name (lower-case letters, digits, - or _, starting with a letter)`);
}

/** Opens the git store; fails when the directory is not a repository or no serving branch can be found. */
export async function createGitPromptStore(options: GitPromptStoreOptions): Promise<GitPromptStore> {
  const logger = options.logger ?? silentLogger;
  const repo = await openGitRepo(options.repoDir);
  const queue = gitQueueFor(repo.dir);
  const servingBranch = options.servingBranch ?? (await repo.currentBranch());
  if (!servingBranch) throw new UnrecoverableError("no_serving_branch", `The prompts repository ${repo.dir} has a detached HEAD; set META_AGENT_SERVING_BRANCH`);
  const review = options.review ?? false;
  const servingRef = `refs/heads/${servingBranch}`;

  const readText = (tenant: string, name: string, version: string) => {
    const scope = versionScope(tenant);
    return queue.run(() => repo.readFile(`refs/tags/${scope.tag(name, version)}`, scope.file(name)));
  };

  const store: GitPromptStore = {
    repoDir: repo.dir,
    servingBranch,
    review,
    readText,
    async latest(tenant, name) {
      const file = versionScope(tenant).file(name);
      const text = await queue.run(() => repo.readFile(servingRef, file));
      return text === undefined ? undefined : parseCompiledVersion(text, `${servingBranch}:${file}`);
    },
    async get(tenant, name, version) {
      const scope = versionScope(tenant);
      const text = await readText(tenant, name, version);
      return text === undefined ? undefined : parseCompiledVersion(text, `${scope.tag(name, version)}:${scope.file(name)}`);
    },
    async versions(tenant, name) {
      return (await store.tagged(tenant, name)).map((t) => t.version);
    },
    async tagged(tenant, name) {
      const scope = versionScope(tenant);
      const prefix = scope.tag(name, "");
      const out = await queue.run(() =>
        repo.git.raw(["for-each-ref", "--format=%(refname:strip=2)%09%(*objectname)%09%(objectname)%09%(taggerdate:iso-strict)%09%(creatordate:iso-strict)", scope.tagPattern(name)]),
      );
      return out
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [tag = "", peeled = "", object = "", taggerDate = "", creatorDate = ""] = line.split("\t");
          return { tag, version: tag.startsWith(prefix) ? tag.slice(prefix.length) : "", commit: peeled || object, date: taggerDate || creatorDate };
        })
        .filter((t) => /^\d+\.\d+\.\d+$/.test(t.version))
        .sort((a, b) => compareVersions(a.version, b.version));
    },
    isServed(commit) {
      return queue.run(async () => {
        // Not `merge-base --is-ancestor`: it answers with its exit code alone, and simple-git does
        // not raise on a failing exit without stderr, so every commit read as served (review
        // versions showed as active before their merge). Count what the commit has that the
        // serving branch lacks instead.
        try {
          const missing = await repo.git.raw(["rev-list", "--count", `${servingRef}..${commit}`]);
          return missing.trim() === "0";
        } catch {
          return false;
        }
      });
    },
    async readSignatureSource(name) {
      checkName(name);
      const file = `prompts/${name}.yaml`;
      if (!repo.bare) {
        const { readFile } = await import("node:fs/promises");
        const text = await readFile(`${repo.dir}/${file}`, "utf8").catch(() => undefined);
        if (text !== undefined) return { text, file: `${repo.dir}/${file}` };
      }
      const text = await queue.run(() => repo.readFile(servingRef, file));
      return text === undefined ? undefined : { text, file: `${servingBranch}:${file}` };
    },
    async save(tenant, version, meta) {
      const scope = versionScope(tenant);
      const file = scope.file(version.name);
      const content = serializeCompiledVersion(version);
      const tag = scope.tag(version.name, version.version);
      const target = meta.target ?? (review ? "review" : "serving");
      const branch = target === "serving" ? servingBranch : scope.reviewBranch(version.name, version.version);
      const patterns = meta.patterns ?? patternsOf(version);
      const summary = meta.body ? `${meta.summary}\n\n${meta.body}` : meta.summary;
      return queue.run(async (): Promise<SavedVersion> => {
        const existing = await repo.readFile(`refs/tags/${tag}`, file);
        if (existing !== undefined) {
          if (existing !== content) throw new VersionExistsError(version.name, version.version);
          const commit = (await repo.resolve(`refs/tags/${tag}`))!;
          return { name: version.name, version: version.version, commit, branch, tag, created: false };
        }
        const base = await repo.resolve(servingRef);
        // The tag is part of the commit's save: both land, or neither (no untagged version commits).
        const commit = await repo.commitFile({ branch, base, file, content, message: commitMessage({ version, summary, patterns, tenant }), tag: { name: tag, message: tagMessage({ version, summary, patterns, tenant }) } });
        logger.info({ name: "version-committed", tenant, signature: version.name, version: version.version, branch, commit, tag }, `committed ${tag} on ${branch}`);
        const saved: SavedVersion = { name: version.name, version: version.version, commit, branch, tag, created: true };
        if (target === "review" && options.remote) saved.push = await push(repo, options.remote, branch, tag, logger);
        return saved;
      });
    },
  };
  return store;
}

async function push(repo: GitRepo, remote: string, branch: string, tag: string, logger: Logger): Promise<{ remote: string; ok: boolean; error?: string }> {
  try {
    await repo.git.raw(["push", "--porcelain", remote, `refs/heads/${branch}:refs/heads/${branch}`, `refs/tags/${tag}:refs/tags/${tag}`]);
    logger.info({ name: "review-branch-pushed", remote, branch, tag }, `pushed ${branch} to ${remote}`);
    return { remote, ok: true };
  } catch (e) {
    // The commit and tag exist locally; a failed push is reported, not fatal.
    const error = (e as Error).message.trim();
    logger.warn({ name: "review-branch-push-failed", remote, branch, err: e }, `could not push ${branch} to ${remote}`);
    return { remote, ok: false, error };
  }
}
