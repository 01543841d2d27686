// What a candidate was built from, as content hashes read from the database at compile time:
// the traces of its examples, the analyzer's patterns it was given, the library's heuristics it
// drew guidelines from, and its demos. The Merkle root over them goes into the version.
import type pg from "pg";
import { hashPatterns } from "../analyzer/hash-patterns.js";
import { hashStoredTraces } from "../collector/hash-stored-traces.js";
import type { Demo } from "../domain/compiled-version.js";
import { hashContent, sortSources, type VersionSource } from "../domain/version-sources.js";

export interface SourceItems {
  traceIds: readonly string[];
  patternIds: readonly string[];
  /** Heuristics with the content hash they had when the compiler read them. */
  heuristics?: ReadonlyArray<{ id: string; hash: string }>;
  demos: readonly Demo[];
}

/** The hash of a demo as the version carries it; its id is its position. */
export const demoSource = (demo: Demo, i: number): VersionSource => ({ kind: "demo", id: String(i), hash: hashContent(demo) });

/** Hashes every item in `tenant`'s scope; items that vanished meanwhile are left out. */
export async function collectSources(pool: Pick<pg.Pool, "query">, tenant: string, items: SourceItems): Promise<VersionSource[]> {
  const [traces, patterns] = await Promise.all([hashStoredTraces(pool, tenant, [...new Set(items.traceIds)]), hashPatterns(pool, tenant, [...new Set(items.patternIds)])]);
  return sortSources([
    ...[...traces].map(([id, hash]): VersionSource => ({ kind: "trace", id, hash })),
    ...[...patterns].map(([id, hash]): VersionSource => ({ kind: "pattern", id, hash })),
    ...(items.heuristics ?? []).map(({ id, hash }): VersionSource => ({ kind: "heuristic", id, hash })),
    ...items.demos.map(demoSource),
  ]);
}
