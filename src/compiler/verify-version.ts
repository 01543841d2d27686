// `meta-agent verify`: recomputes a version's provenance from the database and says whether
// anything it was built from has changed or gone. Checks, in order: the version file against its
// recorded hash (mirror row, and the git tag when there is a repository); the recorded leaves
// against the recorded Merkle root; every leaf against the item as stored now. On request, an
// inclusion proof that one trace is under the recorded root.
import { hashPatterns } from "../analyzer/hash-patterns.js";
import { hashStoredTraces } from "../collector/hash-stored-traces.js";
import { hashHeuristics } from "../heuristics/heuristic-store.js";
import { parseCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { inclusionProof, verifyInclusion } from "../domain/merkle-tree.js";
import { countSources, sortSources, sourceLeaf, sourcesRoot, type SourceKind, type VersionSource } from "../domain/version-sources.js";
import { NotFoundError } from "../errors.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import { findVersionRow } from "../registry/show-version.js";
import { contentHash, getMirror, type MirrorRow } from "../registry/version-mirror.js";
import { loadVersionSources } from "../registry/version-sources.js";
import { demoSource } from "./collect-sources.js";

export type VerifyDeps = Pick<RegistryDeps, "db" | "store" | "git" | "promptsDir">;

export interface VerifyRequest {
  tenant: string;
  name: string;
  /** Default: the served version (else the newest recorded). */
  version?: string;
  /** A trace id to prove: its inclusion proof under the recorded root. */
  proveTrace?: string;
}

export interface ChangedItem {
  kind: SourceKind;
  id: string;
  recorded: string;
  /** The hash now; null when the item is gone. */
  current: string | null;
}

export interface InclusionProof {
  traceId: string;
  /** Position of the trace's leaf in the tree (canonical order) and the tree's size. */
  index: number;
  treeSize: number;
  /** The leaf hash: SHA-256 of 0x00 ‖ "trace\n<id>\n<content hash>" (RFC 6962 leaf). */
  leaf: string;
  /** Sibling hashes from the leaf up (RFC 6962 audit path). */
  path: string[];
  root: string;
  /** The path leads from the recorded leaf to the recorded root. */
  valid: boolean;
  /** The trace as stored now: unchanged (its hash is the recorded one), changed, or missing. */
  current: "unchanged" | "changed" | "missing";
}

export interface VerifyReport {
  tenant: string;
  name: string;
  version: string;
  /** intact: everything checks; tampered: something differs (see the fields); unrecorded: no sources recorded here (hand-written, compiled before provenance, or imported from git). */
  status: "intact" | "tampered" | "unrecorded";
  /** Problems in words, one per line (empty when intact). */
  problems: string[];
  /** Why there is nothing to verify (status unrecorded, or tampered with nothing recorded). */
  unrecordedReason?: string;
  versionHash: { recorded: string; recomputed: string; matches: boolean; git: "matches" | "differs" | "missing" | "no-repository" };
  root: { recorded: string | null; inFile: string | null; ofRecordedLeaves: string | null; current: string | null; matches: boolean };
  counts: ReturnType<typeof countSources>;
  changed: ChangedItem[];
  missing: ChangedItem[];
  proof?: InclusionProof;
}

/** Verifies one version; see the module comment. Throws UnknownVersionError / NotFoundError. */
export async function verifyVersion(deps: VerifyDeps, request: VerifyRequest): Promise<VerifyReport> {
  const { tenant, name } = request;
  const row = await findVersionRow(deps as RegistryDeps, { tenant, name, ...(request.version ? { version: request.version } : {}) });
  const problems: string[] = [];

  const recomputed = contentHash(row.content);
  const gitText = deps.git ? await deps.git.readText(tenant, name, row.version) : undefined;
  const git = !deps.git ? "no-repository" : gitText === undefined ? "missing" : contentHash(gitText) === row.contentHash ? "matches" : "differs";
  if (recomputed !== row.contentHash) problems.push(`the version file in the database no longer hashes to its recorded hash ${row.contentHash}`);
  if (git === "differs") problems.push(`the version file at its git tag differs from the recorded hash ${row.contentHash}`);

  let version: CompiledVersion | undefined;
  try {
    version = parseCompiledVersion(row.content, `${name}@${row.version}`);
  } catch {
    problems.push("the version file in the database is no longer a valid version");
  }
  const inFile = version?.provenance.sourcesRoot ?? null;
  const recordedRoot = row.merkleRoot ?? inFile;
  const base = { tenant, name, version: row.version, versionHash: { recorded: row.contentHash, recomputed, matches: recomputed === row.contentHash, git } } as const;
  const unrecorded = (why: string): VerifyReport => ({
    ...base,
    status: problems.length > 0 ? "tampered" : "unrecorded",
    problems,
    unrecordedReason: why,
    root: { recorded: null, inFile, ofRecordedLeaves: null, current: null, matches: false },
    counts: countSources([]),
    changed: [],
    missing: [],
  });
  if (!recordedRoot) return unrecorded("no provenance was recorded for this version (hand-written, or compiled before provenance existed)");
  if (row.merkleRoot && inFile && row.merkleRoot !== inFile) problems.push(`the recorded root ${row.merkleRoot} differs from the one in the version file ${inFile}`);

  // A rollback restores another version's content: its sources are that version's.
  let leaves = await loadVersionSources(deps.db, tenant, name, row.version);
  let builtFrom: Pick<MirrorRow, "version" | "summary"> | undefined = row;
  if (leaves.length === 0 && version?.provenance.rollbackOf) {
    leaves = await loadVersionSources(deps.db, tenant, name, version.provenance.rollbackOf);
    builtFrom = await getMirror(deps.db, tenant, name, version.provenance.rollbackOf);
  }
  // Imported from git (another database compiled it): its sources were recorded there, never here.
  // "Gone" would claim tampering this database cannot know about.
  if (leaves.length === 0 && (row.summary.imported || builtFrom?.summary.imported)) {
    return unrecorded(`${builtFrom?.version ?? row.version} was imported from git: what it was built from was recorded in the database that compiled it (root ${inFile} in the file), not in this one`);
  }
  leaves = sortSources(leaves);
  const ofRecordedLeaves = sourcesRoot(leaves);
  if (leaves.length === 0) problems.push("the list of what the version was built from is gone");
  else if (ofRecordedLeaves !== recordedRoot) problems.push(`the recorded list of sources hashes to ${ofRecordedLeaves}, not to the recorded root ${recordedRoot}`);

  const current = await currentHashes(deps, tenant, leaves, version);
  const changed: ChangedItem[] = [];
  const missing: ChangedItem[] = [];
  for (const leaf of leaves) {
    const now = current.get(key(leaf.kind, leaf.id)) ?? null;
    if (now === null) missing.push({ kind: leaf.kind, id: leaf.id, recorded: leaf.hash, current: null });
    else if (now !== leaf.hash) changed.push({ kind: leaf.kind, id: leaf.id, recorded: leaf.hash, current: now });
  }
  if (changed.length > 0) problems.push(`${changed.length} item(s) changed since the version was compiled: ${list(changed)}`);
  if (missing.length > 0) problems.push(`${missing.length} item(s) are gone: ${list(missing)}`);
  const currentLeaves = leaves.flatMap((l) => {
    const h = current.get(key(l.kind, l.id));
    return h ? [{ ...l, hash: h }] : [];
  });
  const currentRoot = sourcesRoot(currentLeaves);

  const report: VerifyReport = {
    ...base,
    status: problems.length > 0 ? "tampered" : "intact",
    problems,
    root: { recorded: recordedRoot, inFile, ofRecordedLeaves, current: currentRoot, matches: currentRoot === recordedRoot && ofRecordedLeaves === recordedRoot },
    counts: countSources(leaves),
    changed,
    missing,
  };
  if (request.proveTrace !== undefined) report.proof = proveTrace(leaves, request.proveTrace, recordedRoot, current.get(key("trace", request.proveTrace)) ?? null, `${name}@${row.version}`);
  return report;
}

const key = (kind: string, id: string) => `${kind}\n${id}`;
const list = (items: ChangedItem[]) => items.slice(0, 5).map((i) => `${i.kind} ${i.id}`).join(", ") + (items.length > 5 ? `, … (${items.length - 5} more)` : "");

/** The hash of every recorded item as it is now, by kind and id (absent: gone). */
async function currentHashes(deps: VerifyDeps, tenant: string, leaves: readonly VersionSource[], version: CompiledVersion | undefined): Promise<Map<string, string>> {
  const ids = (kind: SourceKind) => leaves.filter((l) => l.kind === kind).map((l) => l.id);
  const { pool } = deps.db.forTenant(tenant);
  const [traces, patterns, heuristics] = await Promise.all([hashStoredTraces(pool, tenant, ids("trace")), hashPatterns(pool, tenant, ids("pattern")), hashHeuristics(deps.db, tenant, ids("heuristic"))]);
  const out = new Map<string, string>();
  for (const [id, h] of heuristics) out.set(key("heuristic", id), h);
  for (const [id, h] of traces) out.set(key("trace", id), h);
  for (const [id, h] of patterns) out.set(key("pattern", id), h);
  for (const [i, demo] of (version?.demos ?? []).entries()) out.set(key("demo", String(i)), demoSource(demo, i).hash);
  return out;
}

function proveTrace(leaves: readonly VersionSource[], traceId: string, root: string, now: string | null, what: string): InclusionProof {
  const index = leaves.findIndex((l) => l.kind === "trace" && l.id === traceId);
  if (index === -1) throw new NotFoundError(`trace "${traceId}" is not among the sources of ${what}`);
  const hashes = leaves.map(sourceLeaf);
  const path = inclusionProof(hashes, index);
  const recorded = leaves[index]!.hash;
  return {
    traceId,
    index,
    treeSize: hashes.length,
    leaf: hashes[index]!,
    path,
    root,
    valid: verifyInclusion(hashes[index]!, index, hashes.length, path, root),
    current: now === null ? "missing" : now === recorded ? "unchanged" : "changed",
  };
}
