// Dependencies of the registry use cases, as a plain record, and the builder the service and the
// CLI share.
import path from "node:path";
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { AppError } from "../errors.js";
import type { GitPromptStore } from "./git-prompt-store.js";
import type { GitHubSettings } from "./open-github-pull-request.js";
import type { PromptStore } from "./prompt-store.js";
import { createVersionsDirPromptStore } from "./versions-dir-prompt-store.js";

export interface RegistryDeps {
  /** The database; the version mirror is always read and written in the tenant's scope. */
  db: Pick<Database, "forTenant">;
  /**
   * Where versions are stored: the git store when the prompts repository opens (history, tags,
   * review branches), otherwise the plain versions directory (the latest version only).
   */
  store: PromptStore;
  /** The git store (the same object as `store`), or undefined when the repository cannot be opened. */
  git?: GitPromptStore;
  /** Why there is no git store, for error messages. */
  storeError?: string;
  /** Hand-written signatures (`prompts/`): a signature with no versions yet shows its baseline as 1.0.0. */
  promptsDir?: string;
  /** Pull-request texts go to `<dataDir>/pull-requests/<branch>.md`. */
  dataDir: string;
  /** backup_original_prompts: commit the hand-written baseline as 1.0.0 first. Default true. */
  backupOriginalPrompts: boolean;
  /** Set when a GitHub token and repository are configured. */
  github?: GitHubSettings;
  logger: Logger;
}

/** The git store, or a 503 explaining why it is unavailable (history operations need git). */
export function requireGit(deps: RegistryDeps): GitPromptStore {
  if (deps.git) return deps.git;
  throw new AppError("prompts_repository_unavailable", `The prompts repository is not available: ${deps.storeError ?? "not configured"}`, { status: 503 });
}

/** Builds the registry dependencies from configuration; a missing repository is logged, not fatal. */
export async function createRegistryDeps(config: Config, db: Pick<Database, "forTenant">, logger: Logger, options: { cwd?: string; fetch?: typeof fetch } = {}): Promise<RegistryDeps> {
  const { createGitPromptStore } = await import("./git-prompt-store.js");
  const cwd = options.cwd ?? process.cwd();
  const repoDir = path.resolve(cwd, config.promptsRepoDir ?? ".");
  let git: GitPromptStore | undefined;
  let storeError: string | undefined;
  try {
    git = await createGitPromptStore({
      repoDir,
      review: !config.enableAutoUpdates,
      logger,
      ...(config.servingBranch ? { servingBranch: config.servingBranch } : {}),
      ...(config.gitRemote ? { remote: config.gitRemote } : {}),
    });
  } catch (e) {
    storeError = (e as Error).message;
    logger.warn({ name: "prompts-repository-unavailable", repoDir, err: e }, "versions are kept in the versions directory only: no history, tags or review branches");
  }
  return {
    db,
    store: git ?? createVersionsDirPromptStore(path.resolve(cwd, config.versionsDir)),
    ...(git ? { git } : {}),
    ...(storeError ? { storeError } : {}),
    dataDir: config.dataDir,
    promptsDir: config.promptsDir,
    backupOriginalPrompts: config.backupOriginalPrompts,
    ...(config.githubToken && config.githubRepository
      ? { github: { token: config.githubToken, repository: config.githubRepository, apiUrl: config.githubApiUrl, ...(options.fetch ? { fetch: options.fetch } : {}) } }
      : {}),
    logger,
  };
}
