// What a compiled version was built from, as content hashes: the traces it learnt from, the
// analyzer's patterns and the library's heuristics it was given, and the demos it carries. The
// Merkle root over them (merkle-tree.ts) is the version's tamper-evident provenance.
import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import { z } from "zod";
import { leafHash, merkleRoot } from "./merkle-tree.js";

export const SOURCE_KINDS = ["trace", "pattern", "heuristic", "demo"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const VersionSourceSchema = z.object({
  kind: z.enum(SOURCE_KINDS),
  /** Trace id, pattern id, heuristic id, or the demo's position in the version (`0`, `1`…). */
  id: z.string().min(1),
  /** SHA-256 (hex) of the item's content when the version was compiled. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type VersionSource = z.infer<typeof VersionSourceSchema>;

/** SHA-256 (hex) of a value's canonical JSON (keys sorted). */
export function hashContent(value: unknown): string {
  return createHash("sha256").update(stringify(value) ?? "").digest("hex");
}

const KIND_RANK = new Map(SOURCE_KINDS.map((k, i) => [k, i]));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical leaf order: by kind, then id (demos numerically). A tree is always built in it. */
export function sortSources(sources: readonly VersionSource[]): VersionSource[] {
  return [...sources].sort((a, b) => KIND_RANK.get(a.kind)! - KIND_RANK.get(b.kind)! || (a.kind === "demo" ? Number(a.id) - Number(b.id) : cmp(a.id, b.id)));
}

/** The leaf hash of one source: kind, id and content hash, so moving a hash to another item shows. */
export const sourceLeaf = (s: VersionSource) => leafHash(`${s.kind}\n${s.id}\n${s.hash}`);

/** The Merkle root over `sources` in canonical order. */
export function sourcesRoot(sources: readonly VersionSource[]): string {
  return merkleRoot(sortSources(sources).map(sourceLeaf));
}

/** How many sources of each kind, for the version file. */
export function countSources(sources: readonly VersionSource[]): Record<"traces" | "patterns" | "heuristics" | "demos", number> {
  const n = (k: SourceKind) => sources.filter((s) => s.kind === k).length;
  return { traces: n("trace"), patterns: n("pattern"), heuristics: n("heuristic"), demos: n("demo") };
}
