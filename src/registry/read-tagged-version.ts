// Tagged versions: a caller may ask for exactly `<name>@<version>` of its tenant. Compiled
// versions are tagged in the prompts repository (registry/version-scope.ts names the tag and the
// file), so the file is read from that tag; the `prompt_versions` mirror is the fallback when the
// directory is not a git checkout.
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { TaggedVersionLoader } from "./served-versions.js";
import { VERSIONS_DIR, versionScope } from "./version-scope.js";

export interface TaggedVersionSources {
  /** The versions directory (inside a git working tree, usually). */
  versionsDir: string;
  /** Database mirror of compiled versions (read in the tenant's scope); optional. */
  db?: Pick<Database, "forTenant">;
  logger: Logger;
}

/** Builds a loader that reads the tenant's tag of the version, then the database mirror. */
export function createTaggedVersionLoader(sources: TaggedVersionSources): TaggedVersionLoader {
  let git: SimpleGit | undefined;
  let toplevel: Promise<string | undefined> | undefined;
  // Resolved on first use: the directory may not exist yet when the service starts.
  const repoRoot = () =>
    (toplevel ??= (async () => {
      try {
        git = simpleGit({ baseDir: path.resolve(sources.versionsDir) });
        return (await git.revparse(["--show-toplevel"])).trim();
      } catch {
        toplevel = undefined;
        return undefined;
      }
    })());

  async function fromGit(tenant: string, name: string, version: string): Promise<CompiledVersion | undefined> {
    const root = await repoRoot();
    if (!root || !git) return undefined;
    const scope = versionScope(tenant);
    // git wants a repository-relative path with forward slashes.
    const file = path.join(path.resolve(sources.versionsDir), path.relative(VERSIONS_DIR, scope.file(name)));
    const rel = path.relative(root, file).split(path.sep).join("/");
    const tag = scope.tag(name, version);
    let text: string;
    try {
      text = await git.show([`refs/tags/${tag}:${rel}`]);
    } catch {
      return undefined;
    }
    const compiled = parseCompiledVersion(text, `${tag}:${rel}`);
    return compiled.version === version ? compiled : undefined;
  }

  async function fromDatabase(tenant: string, name: string, version: string): Promise<CompiledVersion | undefined> {
    if (!sources.db) return undefined;
    const row = await sources.db.forTenant(tenant).prisma.promptVersion.findFirst({ where: { tenantId: tenant, name, version }, select: { content: true } });
    return row ? parseCompiledVersion(row.content, `prompt_versions ${name}@${version}`) : undefined;
  }

  return async ({ tenant, name, version }) => {
    const viaGit = await fromGit(tenant, name, version).catch((e: unknown) => {
      sources.logger.warn({ name: "tagged-version-invalid", tenant, signature: name, version, err: (e as Error).message }, "tagged version is invalid");
      return undefined;
    });
    return viaGit ?? (await fromDatabase(tenant, name, version));
  };
}
