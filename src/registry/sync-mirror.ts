// Brings the Postgres mirror in step with git for one signature: versions tagged in git but
// missing from the mirror (committed by another process or before the database existed) are
// imported, review versions whose branch was merged into the serving branch stop being proposed,
// and the version the serving branch holds is the one marked active.
import { parseCompiledVersion } from "../domain/compiled-version.js";
import type { RegistryDeps } from "./registry-deps.js";
import { listMirror, markServed, setMirrorStatus, upsertMirror } from "./version-mirror.js";
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
        status: served ? "superseded" : "proposed",
        commitSha: t.commit,
        branch: served ? store.servingBranch : scope.reviewBranch(name, t.version),
        summary: { text: "Imported from git", tag: t.tag, imported: true, ...(version.provenance.rollbackOf ? { rollbackOf: version.provenance.rollbackOf } : {}) },
      });
      changed++;
    } else if ((row.status === "proposed" || row.status === "candidate") && row.commitSha && (await store.isServed(row.commitSha))) {
      // Merged: served now if the serving branch holds it (below), else a later version replaced it.
      await setMirrorStatus(deps.db, tenant, name, t.version, "superseded");
      changed++;
    }
  }
  // Exactly one active row: the version in the serving branch's file.
  const servedNow = await store.latest(tenant, name).catch(() => undefined);
  if (servedNow) {
    const before = (await listMirror(deps.db, tenant, name)).filter((r) => r.status === "active").map((r) => r.version);
    if (before.length !== 1 || before[0] !== servedNow.version) {
      await markServed(deps.db, tenant, name, servedNow.version);
      changed++;
    }
  }
  return changed;
}
