// Brings the Postgres mirror in step with git for one signature: versions tagged in git but
// missing from the mirror (committed by another process or before the database existed) are
// imported, and review candidates whose branch was merged into the serving branch become active.
import { parseCompiledVersion } from "../domain/compiled-version.js";
import type { RegistryDeps } from "./registry-deps.js";
import { listMirror, setMirrorStatus, upsertMirror } from "./version-mirror.js";
import { versionScope } from "./version-scope.js";

/** Syncs the tenant's versions of `name` (its own tags only); a no-op without a git store. Returns how many rows changed. */
export async function syncMirror(deps: RegistryDeps, tenant: string, name: string): Promise<number> {
  const store = deps.git;
  if (!store) return 0;
  const scope = versionScope(tenant);
  const rows = new Map((await listMirror(deps.db, tenant, name)).map((r) => [r.version, r]));
  let changed = 0;
  for (const t of await store.tagged(tenant, name)) {
    const row = rows.get(t.version);
    if (!row) {
      const text = await store.readText(tenant, name, t.version);
      if (text === undefined) continue;
      const version = parseCompiledVersion(text, `${t.tag}:${scope.file(name)}`);
      const served = await store.isServed(t.commit);
      await upsertMirror(deps.db, tenant, {
        version,
        content: text,
        status: served ? "active" : "candidate",
        commitSha: t.commit,
        branch: served ? store.servingBranch : scope.reviewBranch(name, t.version),
        summary: { text: "Imported from git", tag: t.tag, ...(version.provenance.rollbackOf ? { rollbackOf: version.provenance.rollbackOf } : {}) },
      });
      changed++;
    } else if (row.status === "candidate" && row.commitSha && (await store.isServed(row.commitSha))) {
      await setMirrorStatus(deps.db, tenant, name, t.version, "active");
      changed++;
    }
  }
  return changed;
}
