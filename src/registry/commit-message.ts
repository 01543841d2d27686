// The structured commit message and tag body of a version: a readable subject and summary,
// then git trailers (Signature, Version, Parent, Score, Pattern, Sources-Root, Version-Hash...)
// that tools can parse with `git interpret-trailers --parse`.
import { serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { contentHash } from "./version-mirror.js";
import type { AppliedPattern } from "./applied-patterns.js";

export interface MessageInput {
  version: CompiledVersion;
  summary: string;
  patterns: AppliedPattern[];
  /** Whose version it is; shown as a `Tenant:` trailer (every tenant has its own versions). */
  tenant?: string;
}

const fmt = (n: number) => n.toFixed(3);

/** "0.620 → 0.780 (+0.160)", or undefined when the version carries no scores. */
export function scoreChange(version: CompiledVersion): string | undefined {
  const e = version.evaluation;
  if (!e?.score) return undefined;
  if (!e.parentScore) return `${fmt(e.score.mean)}`;
  const delta = e.score.mean - e.parentScore.mean;
  return `${fmt(e.parentScore.mean)} → ${fmt(e.score.mean)} (${delta >= 0 ? "+" : ""}${fmt(delta)})`;
}

/** Full commit message: subject, summary paragraph, trailers. */
export function commitMessage({ version, summary, patterns, tenant }: MessageInput): string {
  const subject = `${tenant && tenant !== "default" ? `${tenant}/` : ""}${version.name} ${version.version}: ${summary.split("\n")[0]}`;
  const trailers = [
    ...(tenant ? [`Tenant: ${tenant}`] : []),
    `Signature: ${version.name}`,
    `Version: ${version.version}`,
    `Parent: ${version.parent ?? "none"}`,
  ];
  const score = scoreChange(version);
  if (score) trailers.push(`Score: ${score}`);
  if (version.provenance.rollbackOf) trailers.push(`Rollback-Of: ${version.provenance.rollbackOf}`);
  trailers.push(`Optimizer: ${version.provenance.optimizer}`);
  for (const p of patterns) {
    trailers.push(`Pattern: ${p.key ?? p.id}${p.confidence !== undefined ? ` (confidence ${p.confidence.toFixed(2)})` : ""}`);
  }
  // Provenance: the Merkle root of what it was built from, and the hash of the file itself (the
  // prompt_versions row's content_hash), so the commit vouches for both.
  const sources = version.provenance.sources;
  if (version.provenance.sourcesRoot) {
    trailers.push(`Sources-Root: ${version.provenance.sourcesRoot}${sources ? ` (${sources.traces} traces, ${sources.patterns} patterns, ${sources.heuristics} heuristics, ${sources.demos} demos)` : ""}`);
  }
  trailers.push(`Version-Hash: sha256:${contentHash(serializeCompiledVersion(version))}`);
  const rest = summary.split("\n").slice(1).join("\n").trim();
  return [subject, ...(rest ? ["", rest] : []), "", ...trailers].join("\n");
}

/** Annotated tag body: the summary followed by the score change. */
export function tagMessage({ version, summary, tenant }: MessageInput): string {
  const score = scoreChange(version);
  return [`${tenant && tenant !== "default" ? `${tenant}/` : ""}${version.name} ${version.version}`, "", summary.trim(), ...(score ? ["", `Score: ${score}`] : [])].join("\n");
}
