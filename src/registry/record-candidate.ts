// Records the outcome of a tenant's candidate (compiler/compile-and-record.ts calls it): a promoted
// candidate is committed and tagged in the tenant's scope (auto mode: serving branch; review mode:
// review branch, pushed, with pull-request text and optionally a GitHub pull request); a rejected
// one is only mirrored. The tenant's first commit of a signature is preceded by the hand-written
// baseline as 1.0.0. Without a git repository the promoted version is written to the versions
// directory (no history).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { CompiledVersionSchema, parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { PatternSchema } from "../domain/pattern.js";
import { parseSignature } from "../domain/signature.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { ValidationError } from "../errors.js";
import { DevFlipsSchema, type DevFlips } from "../domain/dev-flip.js";
import type { AppliedPattern } from "./applied-patterns.js";
import { allocateVersion } from "./allocate-version.js";
import { ensureBaseline } from "./ensure-baseline.js";
import type { GitPromptStore } from "./git-prompt-store.js";
import { versionScope } from "./version-scope.js";
import { openGitHubPullRequest } from "./open-github-pull-request.js";
import { unifiedDiff } from "./prompt-diff.js";
import type { PromptStore, SavedVersion } from "./prompt-store.js";
import { pullRequestText, pullRequestTitle } from "./pull-request-text.js";
import type { RegistryDeps } from "./registry-deps.js";
import { resolveAppliedPatterns } from "./resolve-applied-patterns.js";
import { sourcesRoot, VersionSourceSchema, type VersionSource } from "../domain/version-sources.js";
import { saveVersionSources } from "./version-sources.js";
import { getMirror, listMirror, markServed, mergeMirrorSummary, upsertMirror, type MirrorSummary } from "./version-mirror.js";

export const RecordCandidateInputSchema = z.object({
  tenant: z.string().min(1),
  candidate: CompiledVersionSchema,
  verdict: z.enum(["promoted", "rejected"]),
  /** One line (more lines become the commit body). */
  summary: z.string().min(1),
  /** Why a candidate was rejected. */
  reason: z.string().optional(),
  /** The hand-written baseline the candidate was compiled from; kept as 1.0.0 before the tenant's first version. Default: read from prompts/ in the git repository. */
  baseline: CompiledVersionSchema.optional(),
  /** Dev examples whose pass/fail changed, for the pull-request text. */
  flips: DevFlipsSchema.nullable().optional(),
  /** The analyzer's patterns the candidate's guidelines came from (compile-and-record looks them up by `appliedPatternIds`); their example traces and evidence go into the commit and pull request. Default: none. */
  findings: z.array(PatternSchema).optional(),
  /** The leaves of the candidate's provenance tree; their root must be `candidate.provenance.sourcesRoot`. */
  sources: z.array(VersionSourceSchema).optional(),
}).refine((i) => !i.sources || i.candidate.provenance.sourcesRoot === sourcesRoot(i.sources), { message: "sources do not hash to the candidate's provenance.sourcesRoot", path: ["sources"] });
export type RecordCandidateInput = z.input<typeof RecordCandidateInputSchema>;

export interface PullRequestOutcome {
  /** Where the text was written: `<data_dir>/pull-requests/<branch>.md`. */
  file: string;
  text: string;
  /** The GitHub pull request, when one was opened. */
  url?: string;
  /** Why opening it on GitHub failed (the branch and text still exist). */
  error?: string;
}

export interface RecordCandidateResult {
  /** committed: on the serving branch; review-branch: awaiting review; rejected: mirrored only; already-recorded: nothing new. */
  action: "committed" | "review-branch" | "rejected" | "already-recorded";
  name: string;
  /** Final version number (the registry renumbers a candidate whose number is taken). */
  version: string;
  parent: string | null;
  /** active: served now (auto mode); proposed: on a review branch until it is merged; rejected. */
  status: "active" | "proposed" | "rejected";
  /** The baseline 1.0.0 committed first, when this was the signature's first version. */
  baseline?: SavedVersion;
  saved?: SavedVersion;
  pullRequest?: PullRequestOutcome;
}

/** Records a promoted or rejected candidate; see the module comment. */
export async function recordCandidate(deps: RegistryDeps, rawInput: RecordCandidateInput): Promise<RecordCandidateResult> {
  const parsed = RecordCandidateInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new ValidationError(`Invalid candidate: ${formatZodIssues(parsed.error.issues)}`, { issues: parsed.error.issues });
  const input = parsed.data;
  const name = input.candidate.name;
  const { store, git } = deps;

  if (input.verdict === "rejected") return recordRejection(deps, store, input.tenant, input.candidate, input.summary, input.reason, input.sources);

  const baseline = await ensureBaseline(deps, input.tenant, name, input.baseline);
  const candidate = await numberCandidate(deps, store, input.tenant, input.candidate);
  const content = serializeCompiledVersion(candidate);
  const patterns = resolveAppliedPatterns(candidate, input.findings ?? []);
  // Review mode: the pull-request text is the commit's body, so the pushed branch carries it to a
  // reviewer on any git host (and a GitHub pull request gets the same text).
  const prText = git?.review ? await reviewText(git, input.tenant, candidate, content, input.summary, patterns, input.flips ?? null) : undefined;
  const saved = await store.save(input.tenant, candidate, prText ? { summary: input.summary.split("\n")[0]!, body: prText, patterns } : { summary: input.summary, patterns });
  const review = git !== undefined && saved.branch !== git.servingBranch;
  const status = review ? "proposed" : "active";
  const e = candidate.evaluation;
  const summary: MirrorSummary = {
    text: input.summary,
    tag: saved.tag,
    ...(e?.score ? { scoreCi: e.score.ci } : {}),
    ...(e?.parentScore ? { parentScoreCi: e.parentScore.ci } : {}),
    llmCalls: candidate.provenance.llmCalls,
    tokens: candidate.provenance.tokens,
    patterns: patterns.map(({ id, key, confidence, exampleTraceIds }) => ({ ...(id ? { id } : {}), ...(key ? { key } : {}), ...(confidence !== undefined ? { confidence } : {}), exampleTraceIds })),
  };
  const previous = await getMirror(deps.db, input.tenant, name, candidate.version);
  await upsertMirror(deps.db, input.tenant, { version: candidate, content, status, commitSha: saved.commit, branch: saved.branch, summary: { ...previous?.summary, ...summary } });
  if (!review) await markServed(deps.db, input.tenant, name, candidate.version);
  if (input.sources) await saveVersionSources(deps.db, input.tenant, name, candidate.version, input.sources);

  let pullRequest: PullRequestOutcome | undefined;
  if (review && git) {
    const text = prText ?? (await reviewText(git, input.tenant, candidate, content, input.summary, patterns, input.flips ?? null));
    pullRequest = await writePullRequest(deps, git, input.tenant, candidate, text, input.summary, saved.branch, previous?.summary.pullRequest?.url);
    await mergeMirrorSummary(deps.db, input.tenant, name, candidate.version, { pullRequest: { file: pullRequest.file, ...(pullRequest.url ? { url: pullRequest.url } : {}) } });
  }
  deps.logger.info({ name: review ? "version-proposed" : "version-promoted", tenant: input.tenant, signature: name, version: candidate.version, branch: saved.branch, commit: saved.commit }, `${name} ${candidate.version} ${review ? "awaits review" : "promoted"}`);
  return {
    action: saved.created ? (review ? "review-branch" : "committed") : "already-recorded",
    name,
    version: candidate.version,
    parent: candidate.parent,
    status,
    ...(baseline ? { baseline } : {}),
    saved,
    ...(pullRequest ? { pullRequest } : {}),
  };
}

/** Keeps the candidate's number when it is free and follows the tenant's served version; renumbers otherwise. */
async function numberCandidate(deps: RegistryDeps, store: PromptStore, tenant: string, candidate: CompiledVersion): Promise<CompiledVersion> {
  const existing = await store.get(tenant, candidate.name, candidate.version);
  if (existing && serializeCompiledVersion(existing) === serializeCompiledVersion(candidate)) return candidate; // recorded before (a retried cycle)
  const latest = await store.latest(tenant, candidate.name);
  const taken = new Set(await store.versions(tenant, candidate.name));
  for (const row of await listMirror(deps.db, tenant, candidate.name)) if (row.status !== "rejected") taken.add(row.version);
  const parent = latest?.version ?? null;
  if (!taken.has(candidate.version) && candidate.parent === parent) return candidate;
  return { ...candidate, version: allocateVersion(latest, candidate, taken), parent };
}

async function recordRejection(deps: RegistryDeps, store: PromptStore, tenant: string, candidate: CompiledVersion, summary: string, reason: string | undefined, sources: VersionSource[] | undefined): Promise<RecordCandidateResult> {
  const taken = new Set(await store.versions(tenant, candidate.name));
  for (const row of await listMirror(deps.db, tenant, candidate.name)) if (row.status !== "rejected") taken.add(row.version);
  const latest = await store.latest(tenant, candidate.name);
  const version = taken.has(candidate.version) ? allocateVersion(latest, candidate, taken) : candidate.version;
  const final = { ...candidate, version };
  await upsertMirror(deps.db, tenant, { version: final, content: serializeCompiledVersion(final), status: "rejected", summary: { text: summary, ...(reason ? { reason } : {}) } });
  if (sources) await saveVersionSources(deps.db, tenant, candidate.name, version, sources);
  deps.logger.info({ name: "version-rejected", tenant, signature: candidate.name, version, reason }, `${candidate.name} ${version} rejected`);
  return { action: "rejected", name: candidate.name, version, parent: final.parent, status: "rejected" };
}

/** The pull-request text of a review version: diff and changes against its parent, flips, evidence. */
async function reviewText(store: GitPromptStore, tenant: string, v: CompiledVersion, content: string, summary: string, patterns: AppliedPattern[], flips: DevFlips | null): Promise<string> {
  const parentText = v.parent ? ((await store.readText(tenant, v.name, v.parent)) ?? "") : "";
  let parent: CompiledVersion | undefined;
  try {
    parent = parentText ? parseCompiledVersion(parentText, `${v.name}@${v.parent}`) : undefined;
  } catch {
    parent = undefined; // the diff still shows the change
  }
  const scope = versionScope(tenant);
  const file = scope.file(v.name);
  const diff = unifiedDiff(`${file} (${v.parent ?? "none"})`, parentText, `${file} (${v.version})`, content);
  return pullRequestText({ version: v, ...(parent ? { parent } : {}), tenant, summary, branch: scope.reviewBranch(v.name, v.version), servingBranch: store.servingBranch, diff, patterns, flips });
}

async function writePullRequest(
  deps: RegistryDeps,
  store: GitPromptStore,
  tenant: string,
  v: CompiledVersion,
  text: string,
  summary: string,
  branch: string,
  existingUrl: string | undefined,
): Promise<PullRequestOutcome> {
  const textFile = path.join(deps.dataDir, "pull-requests", `${branch}.md`);
  mkdirSync(path.dirname(textFile), { recursive: true });
  writeFileSync(textFile, text);
  const outcome: PullRequestOutcome = { file: textFile, text };
  if (existingUrl) return { ...outcome, url: existingUrl };
  if (deps.github) {
    try {
      const pr = await openGitHubPullRequest(deps.github, { title: pullRequestTitle(v, summary, tenant), body: text, head: branch, base: store.servingBranch });
      outcome.url = pr.url;
      deps.logger.info({ name: "pull-request-opened", signature: v.name, version: v.version, url: pr.url }, `opened ${pr.url}`);
    } catch (e) {
      // The review branch and the text exist; a reviewer can still open the PR by hand.
      outcome.error = (e as Error).message;
      deps.logger.warn({ name: "pull-request-failed", signature: v.name, version: v.version, err: e }, "could not open the pull request");
    }
  }
  return outcome;
}
