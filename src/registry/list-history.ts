// Version history of a signature from the Postgres mirror (no git needed).
import { compareVersions } from "../domain/version-bump.js";
import type { RegistryDeps } from "./registry-deps.js";
import { UnknownVersionError } from "./unknown-version-error.js";
import { contentHash, listMirror, type MirrorRow, type VersionStatus } from "./version-mirror.js";
import { stat } from "node:fs/promises";
import path from "node:path";
import { loadSignature } from "../signature/load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { serializeCompiledVersion } from "../domain/compiled-version.js";

export interface HistoryEntry {
  name: string;
  version: string;
  parent: string | null;
  /** active (served now; exactly one), proposed (review branch not merged), superseded, rolled_back, rejected. */
  status: VersionStatus;
  /** True for the version the serving branch holds now (the active one). */
  current: boolean;
  /** When it was promoted (or recorded), ISO 8601. */
  date: string;
  score: number | null;
  parentScore: number | null;
  commit: string | null;
  branch: string | null;
  summary: string;
  rollbackOf?: string;
  pullRequest?: { file: string; url?: string };
  /** The canary this version went through: its id, outcome, rule and evidence. */
  canary?: Record<string, unknown>;
}

/** The served version: the active one (the highest-numbered, should older rows still say active). */
export function currentOf(rows: MirrorRow[]): MirrorRow | undefined {
  return rows.filter((r) => r.status === "active").sort((a, b) => compareVersions(a.version, b.version)).at(-1);
}

/**
 * Rows of a signature, oldest version first. A signature nothing was compiled for yet has one:
 * its hand-written baseline as version 1.0.0, served now and committed as 1.0.0 with the first
 * promotion — the same 1.0.0 that GET /v1/signatures reports. Throws UnknownVersionError when
 * there is neither a version nor a baseline.
 */
export async function mirrorRows(deps: RegistryDeps, tenant: string, name: string): Promise<MirrorRow[]> {
  const rows = (await listMirror(deps.db, tenant, name)).sort((a, b) => compareVersions(a.version, b.version));
  if (rows.length > 0) return rows;
  const baseline = deps.promptsDir ? await baselineRow(deps.promptsDir, name) : undefined;
  if (!baseline) throw new UnknownVersionError(name, "", []);
  return [baseline];
}

/** The hand-written `prompts/<name>.yaml` as an uncommitted, served version 1.0.0. */
async function baselineRow(promptsDir: string, name: string): Promise<MirrorRow | undefined> {
  let loaded: Awaited<ReturnType<typeof loadSignature>>;
  try {
    loaded = await loadSignature(promptsDir, name);
  } catch {
    return undefined; // no such signature (or a broken file, which the orchestrator reports)
  }
  const since = (await stat(loaded.file)).mtime;
  const content = serializeCompiledVersion(baselineVersion(loaded.signature, since));
  return {
    name,
    version: "1.0.0",
    parent: null,
    commitSha: null,
    branch: null,
    contentHash: contentHash(content),
    content,
    status: "active",
    score: null,
    parentScore: null,
    summary: { text: `hand-written baseline (${path.basename(loaded.file)}), served now; committed as 1.0.0 with the first learned version` },
    merkleRoot: null,
    createdAt: since,
    promotedAt: null,
  };
}

/** History of `name` for `tenant`, oldest version first. */
export async function listHistory(deps: RegistryDeps, input: { tenant: string; name: string }): Promise<HistoryEntry[]> {
  const rows = await mirrorRows(deps, input.tenant, input.name);
  const current = currentOf(rows);
  return rows.map((r) => ({
    name: r.name,
    version: r.version,
    parent: r.parent,
    // Rows written before "exactly one active" may hold several: only the served one reads active.
    status: r.status === "active" && r !== current ? "superseded" : r.status,
    current: r === current,
    date: (r.promotedAt ?? r.createdAt).toISOString(),
    score: r.score,
    parentScore: r.parentScore,
    commit: r.commitSha,
    branch: r.branch,
    summary: r.summary.text,
    ...(r.summary.rollbackOf ? { rollbackOf: r.summary.rollbackOf } : {}),
    ...(r.summary.pullRequest ? { pullRequest: r.summary.pullRequest } : {}),
    ...(r.summary.canary ? { canary: r.summary.canary } : {}),
  }));
}
