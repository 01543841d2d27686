// Low-level git access for the registry, on simple-git. Commits are made with plumbing
// (hash-object, a private index, write-tree, commit-tree, update-ref) so the user's index,
// staged changes, hooks and other working-tree files are never touched, and a branch that is
// not checked out (a review branch) can be committed to without switching branches.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, renameSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { gitChildEnv } from "../config/index.js";
import { AppError, UnrecoverableError } from "../errors.js";

/** Identity used for the store's own commits and tags when git has none configured. */
export const DEFAULT_IDENTITY = { name: "meta-agent", email: "meta-agent@localhost" } as const;

export interface GitRepo {
  readonly dir: string;
  readonly bare: boolean;
  readonly git: SimpleGit;
  /** Commit sha a ref points to (peeled to a commit), or undefined if it does not exist. */
  resolve(ref: string): Promise<string | undefined>;
  /** Text of `file` at `ref`, or undefined when the ref or the file does not exist. */
  readFile(ref: string, file: string): Promise<string | undefined>;
  /** Branch checked out in the repository directory, or undefined (detached HEAD). */
  currentBranch(): Promise<string | undefined>;
  /** Commits `content` as `file` on top of `branch` (created from `base` if missing). */
  commitFile(options: CommitFileOptions): Promise<string>;
  /** Creates an annotated tag on `commit`. */
  tag(name: string, commit: string, message: string): Promise<void>;
}

export interface CommitFileOptions {
  branch: string;
  /** Where a new branch starts (a commit sha). Ignored when the branch exists. */
  base?: string;
  file: string;
  content: string;
  message: string;
  /** Annotated tag created on the commit, as part of the same all-or-nothing save. */
  tag?: { name: string; message: string };
}

/** Opens the git repository at (or containing) `dir`; fails clearly when there is none. */
export async function openGitRepo(dir: string): Promise<GitRepo> {
  let top: string;
  let bare: boolean;
  try {
    const probe = simpleGit({ baseDir: dir });
    bare = (await probe.revparse(["--is-bare-repository"])).trim() === "true";
    top = bare ? path.resolve(dir, (await probe.revparse(["--absolute-git-dir"])).trim()) : (await probe.revparse(["--show-toplevel"])).trim();
  } catch (e) {
    throw new UnrecoverableError("not_a_git_repository", `Prompts repository ${dir} is not a git repository (set PROMPTS_REPO_DIR): ${(e as Error).message}`, { cause: e });
  }
  const identity = await hasIdentity(simpleGit({ baseDir: top })) ? [] : [`user.name=${DEFAULT_IDENTITY.name}`, `user.email=${DEFAULT_IDENTITY.email}`];
  const git = simpleGit({ baseDir: top, config: identity });

  const resolve = async (ref: string) => {
    try {
      return (await git.raw(["rev-parse", "--verify", "-q", `${ref}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  };

  const currentBranch = async () => {
    try {
      return (await git.raw(["symbolic-ref", "--short", "-q", "HEAD"])).trim() || undefined;
    } catch {
      return undefined;
    }
  };

  return {
    dir: top,
    bare,
    git,
    resolve,
    async readFile(ref, file) {
      try {
        return await git.raw(["cat-file", "blob", `${ref}:${file}`]);
      } catch {
        return undefined;
      }
    },
    currentBranch,
    async commitFile(o) {
      const tmp = mkdtempSync(path.join(tmpdir(), "meta-agent-git-"));
      const ref = `refs/heads/${o.branch}`;
      // What has been done so far, undone in reverse if a later step fails: a failed save leaves
      // no commit on the branch, no tag and no half-written file (the fault suite checks this).
      const undo: (() => Promise<void> | void)[] = [];
      try {
        const blobFile = path.join(tmp, "blob");
        writeFileSync(blobFile, o.content);
        // --no-filters: store the exact bytes, whatever the user's autocrlf/attributes say.
        const blob = (await git.raw(["hash-object", "-w", "--no-filters", blobFile])).trim();
        const parent = (await resolve(ref)) ?? o.base;
        // A private index: the user's index (and its staged changes) is never read or locked.
        const scratch = simpleGit({ baseDir: top, config: identity }).env(gitChildEnv({ GIT_INDEX_FILE: path.join(tmp, "index") }));
        await scratch.raw(parent ? ["read-tree", parent] : ["read-tree", "--empty"]);
        await scratch.raw(["update-index", "--add", "--cacheinfo", `100644,${blob},${o.file}`]);
        const tree = (await scratch.raw(["write-tree"])).trim();
        const commit = (await git.raw(["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", o.message])).trim();
        // Everything that can fail on a broken or read-only repository happens before the branch moves.
        const checkout = !bare && (await currentBranch()) === o.branch ? prepareCheckout(top, o.file, o.content) : undefined;
        if (checkout) undo.push(checkout.discard);
        if (o.tag) {
          await git.raw(["tag", "-a", o.tag.name, commit, "-m", o.tag.message]);
          const tagName = o.tag.name;
          undo.push(() => git.raw(["tag", "-d", tagName]).then(() => undefined));
        }
        const existing = await resolve(ref);
        // Compare-and-swap: fails instead of losing a commit another process made meanwhile.
        await git.raw(["update-ref", "-m", `meta-agent: ${o.message.split("\n")[0]}`, ref, commit, existing ?? "0".repeat(40)]);
        undo.push(() => git.raw(existing ? ["update-ref", "-m", "meta-agent: undo a failed save", ref, existing, commit] : ["update-ref", "-d", ref, commit]).then(() => undefined));
        if (checkout) await checkout.apply(git);
        return commit;
      } catch (e) {
        for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
        if (e instanceof AppError) throw e;
        throw new AppError("git_failed", `Could not commit ${o.file} on ${o.branch}: ${(e as Error).message}`, { status: 500, isRetryable: true, cause: e });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    async tag(name, commit, message) {
      await git.raw(["tag", "-a", name, commit, "-m", message]);
    },
  };
}

/** True when git can build an author and committer identity on its own. */
async function hasIdentity(git: SimpleGit): Promise<boolean> {
  try {
    await git.raw(["var", "GIT_COMMITTER_IDENT"]);
    await git.raw(["var", "GIT_AUTHOR_IDENT"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The branch we commit to is checked out: that one file in the working tree and the index must
 * follow, so `git status` stays clean. Nothing else is read or written. The new content is
 * written to a side file first (so a read-only or missing directory fails before the commit
 * lands) and renamed over the file once the branch has moved.
 */
function prepareCheckout(top: string, file: string, content: string): { apply(git: SimpleGit): Promise<void>; discard(): void } {
  const target = path.join(top, file);
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.meta-agent-tmp`;
  writeFileSync(partial, content);
  let renamed = false;
  let previous: string | undefined;
  return {
    async apply(git) {
      previous = existsSync(target) ? readFileSync(target, "utf8") : undefined;
      renameSync(partial, target);
      renamed = true;
      for (let attempt = 0; ; attempt++) {
        try {
          await git.raw(["update-index", "--add", "--", file]);
          return;
        } catch (e) {
          // The user's own git command may hold index.lock for a moment; wait and retry.
          if (attempt >= 20 || !/index\.lock/.test((e as Error).message)) throw e;
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
        }
      }
    },
    discard() {
      rmSync(partial, { force: true });
      // apply() got as far as the rename: put the file back as it was.
      if (renamed) {
        if (previous === undefined) rmSync(target, { force: true });
        else writeFileSync(target, previous);
      }
    },
  };
}
