// Rollback: the target version's content becomes a new patch version of the tenant's signature on
// the serving branch, marked `provenance.rollbackOf`, committed and tagged. History is never
// rewritten, and only the tenant's own versions can be restored.
import { serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { AppError } from "../errors.js";
import { nextFreePatch } from "./allocate-version.js";
import type { SavedVersion } from "./prompt-store.js";
import { requireGit, type RegistryDeps } from "./registry-deps.js";
import { syncMirror } from "./sync-mirror.js";
import { UnknownVersionError } from "./unknown-version-error.js";
import { listMirror, markServed, setMirrorStatus, upsertMirror } from "./version-mirror.js";

export interface RollbackInput {
  tenant: string;
  name: string;
  /** The version whose content is restored. */
  to: string;
}

export interface RollbackResult {
  name: string;
  /** The new version holding the restored content. */
  version: string;
  /** The version that was served before (now `rolled_back`). */
  parent: string;
  rollbackOf: string;
  saved: SavedVersion;
}

export async function rollbackVersion(deps: RegistryDeps, input: RollbackInput): Promise<RollbackResult> {
  const store = requireGit(deps);
  const valid = await store.versions(input.tenant, input.name);
  const target = valid.includes(input.to) ? await store.get(input.tenant, input.name, input.to) : undefined;
  if (!target) throw new UnknownVersionError(input.name, input.to, valid);
  const current = await store.latest(input.tenant, input.name);
  if (!current) throw new AppError("nothing_to_roll_back", `${input.name} has no version on ${store.servingBranch} to roll back from`, { status: 409 });

  await syncMirror(deps, input.tenant, input.name);
  const taken = new Set([...valid, ...(await listMirror(deps.db, input.tenant, input.name)).map((r) => r.version)]);
  // A patch on top of the served version, past numbers taken by review branches or rejections.
  const version = nextFreePatch(current.version, taken);
  const restored: CompiledVersion = {
    ...target,
    version,
    parent: current.version,
    compiledAt: new Date().toISOString(),
    evaluation: null,
    // The restored content was built from the target's sources: its provenance root comes along.
    provenance: {
      optimizer: "rollback",
      llmCalls: 0,
      tokens: 0,
      rollbackOf: target.version,
      ...(target.provenance.sourcesRoot ? { sourcesRoot: target.provenance.sourcesRoot } : {}),
      ...(target.provenance.sources ? { sources: target.provenance.sources } : {}),
    },
  };
  const saved = await store.save(input.tenant, restored, { summary: `Roll back to ${target.version}`, target: "serving", rollback: true, patterns: [] });
  await upsertMirror(deps.db, input.tenant, {
    version: restored,
    content: serializeCompiledVersion(restored),
    status: "active",
    commitSha: saved.commit,
    branch: saved.branch,
    summary: { text: `Roll back to ${target.version}`, tag: saved.tag, rollbackOf: target.version },
  });
  await setMirrorStatus(deps.db, input.tenant, input.name, current.version, "rolled_back");
  await markServed(deps.db, input.tenant, input.name, version);
  deps.logger.info({ name: "version-rolled-back", tenant: input.tenant, signature: input.name, from: current.version, to: target.version, version }, `${input.name} rolled back to ${target.version} as ${version}`);
  return { name: input.name, version, parent: current.version, rollbackOf: target.version, saved };
}
