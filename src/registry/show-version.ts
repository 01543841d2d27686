// One version of a signature (default: the served one), from the mirror.
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import type { RegistryDeps } from "./registry-deps.js";
import { currentOf, mirrorRows } from "./list-history.js";
import { UnknownVersionError } from "./unknown-version-error.js";
import type { MirrorRow } from "./version-mirror.js";

export interface ShownVersion {
  row: MirrorRow;
  /** The YAML text exactly as committed. */
  content: string;
  parsed: CompiledVersion;
}

/** The mirror row of `version` (or the current one) of `name`, its content unparsed (verify reads damaged files too); unknown versions list the valid ones. */
export async function findVersionRow(deps: RegistryDeps, input: { tenant: string; name: string; version?: string }): Promise<MirrorRow> {
  const rows = await mirrorRows(deps, input.tenant, input.name);
  const row = input.version ? rows.find((r) => r.version === input.version) : (currentOf(rows) ?? rows.at(-1));
  if (!row) throw new UnknownVersionError(input.name, input.version ?? "", rows.map((r) => r.version));
  return row;
}

/** Finds `version` (or the current one) of `name`, parsed. */
export async function showVersion(deps: RegistryDeps, input: { tenant: string; name: string; version?: string }): Promise<ShownVersion> {
  const row = await findVersionRow(deps, input);
  return { row, content: row.content, parsed: parseCompiledVersion(row.content, `${input.name}@${row.version}`) };
}
