// Unified diff between two versions of a signature (defaults: the current version's parent →
// the current version), from the mirror.
import type { RegistryDeps } from "./registry-deps.js";
import { currentOf, mirrorRows } from "./list-history.js";
import { unifiedDiff } from "./prompt-diff.js";
import { UnknownVersionError } from "./unknown-version-error.js";
import { versionScope } from "./version-scope.js";

export interface DiffVersionsInput {
  tenant: string;
  name: string;
  /** Default: the parent of `to` (empty when it has none). */
  from?: string;
  /** Default: the current (served) version, else the highest one. */
  to?: string;
  /** ANSI colors. Default false. */
  color?: boolean;
}

export interface VersionDiff {
  name: string;
  from: string | null;
  to: string;
  /** Unified diff; empty when the files are identical. */
  diff: string;
}

export async function diffVersions(deps: RegistryDeps, input: DiffVersionsInput): Promise<VersionDiff> {
  const rows = await mirrorRows(deps, input.tenant, input.name);
  const valid = rows.map((r) => r.version);
  const find = (v: string) => {
    const row = rows.find((r) => r.version === v);
    if (!row) throw new UnknownVersionError(input.name, v, valid);
    return row;
  };
  const to = input.to ? find(input.to) : (currentOf(rows) ?? rows.at(-1)!);
  const fromVersion = input.from ?? to.parent;
  const from = fromVersion ? find(fromVersion) : undefined;
  const file = versionScope(input.tenant).file(input.name);
  const diff = unifiedDiff(`${file} (${from?.version ?? "none"})`, from?.content ?? "", `${file} (${to.version})`, to.content, { color: input.color ?? false });
  return { name: input.name, from: from?.version ?? null, to: to.version, diff };
}
