// Which versions an evaluation runs: `baseline` (the hand-written prompts/<name>.yaml), `served`
// (the tenant's served version, else the baseline), or an exact version number (a tag).
import { baselineVersion } from "../../domain/baseline-version.js";
import type { CompiledVersion } from "../../domain/compiled-version.js";
import type { Signature } from "../../domain/signature.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import type { PromptStore } from "../../registry/prompt-store.js";

export interface EvalVersion {
  /** What was asked for: `baseline`, `served` or the number. */
  label: string;
  version: CompiledVersion;
}

/** Resolves each spec; unknown numbers fail with the versions that exist. */
export async function resolveEvalVersions(store: Pick<PromptStore, "latest" | "get" | "versions">, tenant: string, signature: Signature, specs: readonly string[]): Promise<EvalVersion[]> {
  if (specs.length === 0) throw new ValidationError("versions: name at least one (baseline, served or a version number)");
  if (new Set(specs).size !== specs.length) throw new ValidationError(`versions: ${specs.join(", ")} names a version twice`);
  const baseline = baselineVersion(signature, new Date(0));
  const out: EvalVersion[] = [];
  for (const spec of specs) {
    if (spec === "baseline") out.push({ label: spec, version: baseline });
    else if (spec === "served") out.push({ label: spec, version: (await store.latest(tenant, signature.name)) ?? baseline });
    else if (/^\d+\.\d+\.\d+$/.test(spec)) {
      const v = await store.get(tenant, signature.name, spec);
      if (!v) throw new NotFoundError(`Version ${spec} of ${signature.name} was not found (stored: ${(await store.versions(tenant, signature.name)).join(", ") || "none"})`);
      out.push({ label: spec, version: v });
    } else throw new ValidationError(`versions: "${spec}" is not baseline, served or a version number such as 1.2.0`);
  }
  return out;
}
