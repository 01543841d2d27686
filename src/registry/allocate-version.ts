// Picks the number a new version gets: the bump its change calls for (version-bump.ts), moved up
// by patch steps past numbers already taken (an unmerged review branch, a rejected candidate).
import type { CompiledVersion } from "../domain/compiled-version.js";
import { bump, nextVersion } from "../domain/version-bump.js";

/** Next free version for `candidate` after `latest` (the served version), skipping `taken`. */
export function allocateVersion(latest: CompiledVersion | undefined, candidate: Pick<CompiledVersion, "inputs" | "outputs" | "instructions">, taken: Iterable<string>): string {
  const used = new Set(taken);
  let v = nextVersion(latest, candidate);
  while (used.has(v)) v = bump(v, "patch");
  return v;
}

/** Next free patch version after `from`. */
export function nextFreePatch(from: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let v = bump(from, "patch");
  while (used.has(v)) v = bump(v, "patch");
  return v;
}
