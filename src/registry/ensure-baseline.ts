// The tenant's first version of a signature is preceded by the hand-written baseline as 1.0.0
// (backup_original_prompts), so the original prompt can always be restored. Recording a
// candidate and promoting a canary both call it.
import { serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { parseSignature } from "../domain/signature.js";
import type { SavedVersion } from "./prompt-store.js";
import type { RegistryDeps } from "./registry-deps.js";
import { upsertMirror } from "./version-mirror.js";

/** Saves the hand-written baseline as the tenant's 1.0.0 on the serving branch if the tenant has no version of the signature yet. */
export async function ensureBaseline(deps: RegistryDeps, tenant: string, name: string, provided: CompiledVersion | undefined): Promise<SavedVersion | undefined> {
  const { store, git } = deps;
  if (!deps.backupOriginalPrompts) return undefined;
  if ((await store.versions(tenant, name)).length > 0 || (await store.latest(tenant, name))) return undefined;
  let baseline = provided;
  if (!baseline && git) {
    const source = await git.readSignatureSource(name);
    if (source) baseline = baselineVersion(parseSignature(source.text, source.file));
  }
  if (!baseline) {
    deps.logger.warn({ name: "baseline-missing", tenant, signature: name }, `prompts/${name}.yaml not found; no baseline version is kept`);
    return undefined;
  }
  const saved = await store.save(tenant, baseline, { summary: "Hand-written baseline (backup of the original prompt)", target: "serving", patterns: [] });
  await upsertMirror(deps.db, tenant, { version: baseline, content: serializeCompiledVersion(baseline), status: "active", commitSha: saved.commit, branch: saved.branch, summary: { text: "Hand-written baseline", tag: saved.tag } });
  return saved;
}
