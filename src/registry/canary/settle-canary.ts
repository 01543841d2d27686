// Carrying out a canary's decision, as a git commit with its evidence. Promoted: the candidate is
// committed and tagged on the serving branch (the watcher then serves it to everyone). Rolled back
// or stopped: the candidate is committed and tagged on its own branch, so it is never lost, and the
// incumbent — never replaced — serves all traffic again. Saving is idempotent, so a decision
// retried after a crash commits once.
import { parseCompiledVersion, serializeCompiledVersion } from "../../domain/compiled-version.js";
import type { Canary, CanaryDecision, CanaryEvidence } from "../../domain/canary.js";
import { AppError } from "../../errors.js";
import { ensureBaseline } from "../ensure-baseline.js";
import type { RegistryDeps } from "../registry-deps.js";
import { getMirror, upsertMirror } from "../version-mirror.js";

const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);

/** The commit body: the evidence, line by line, as `meta-agent history` and reviewers read it. */
export function evidenceText(canary: Canary, decision: CanaryDecision): string {
  const e: CanaryEvidence = decision.evidence;
  const arm = (label: string, a: CanaryEvidence["incumbent"]) =>
    `${label} ${a.version}: ${a.labelled} runs with an outcome (${a.runs} routed), success ${pct(a.successRate)}, objective ${a.objectiveMean?.toFixed(4) ?? "–"}, ${a.tokensPerRun?.toFixed(0) ?? "–"} tokens/run, p95 ${a.p95LatencyMs?.toFixed(0) ?? "–"} ms`;
  return [
    decision.reason,
    "",
    arm("incumbent", e.incumbent),
    arm("candidate", e.candidate),
    `difference ${e.difference?.toFixed(4) ?? "–"} on ${e.comparison}${e.interval ? `, always-valid interval [${e.interval[0].toFixed(4)}, ${e.interval[1].toFixed(4)}]` : ""}`,
    `mixture SPRT statistic ${e.statistic?.toFixed(3) ?? "–"} (threshold ${e.threshold.toFixed(1)}), always-valid p ${e.pValue?.toFixed(4) ?? "–"}`,
    "",
    `Canary-Id: ${canary.id}`,
    `Canary-Decision: ${decision.outcome} (${decision.rule})`,
    `Canary-Share: ${canary.settings.share}`,
  ].join("\n");
}

/** Commits the decision; returns the commit sha (null without a git repository). */
export async function settleCanary(deps: RegistryDeps, canary: Canary, decision: CanaryDecision): Promise<string | null> {
  const row = await getMirror(deps.db, canary.tenant, canary.signature, canary.candidateVersion);
  if (!row) throw new AppError("canary_candidate_missing", `the candidate ${canary.signature} ${canary.candidateVersion} of canary ${canary.id} is not in the version mirror`, { status: 500 });
  const candidate = parseCompiledVersion(row.content, `prompt_versions ${canary.signature}@${canary.candidateVersion}`);
  const promoted = decision.outcome === "promoted";
  const verb = promoted ? "promoted" : decision.outcome === "rolled_back" ? "rolled back" : "stopped undecided";
  const summary = `Canary ${verb}: ${canary.signature} ${canary.candidateVersion} vs ${canary.incumbentVersion}`;
  if (promoted) await ensureBaseline(deps, canary.tenant, canary.signature, undefined);
  const saved = await deps.store.save(canary.tenant, candidate, { summary, body: evidenceText(canary, decision), target: promoted ? "serving" : "review", patterns: [] });
  await upsertMirror(deps.db, canary.tenant, {
    version: candidate,
    content: serializeCompiledVersion(candidate),
    status: promoted ? "active" : decision.outcome === "rolled_back" ? "rolled_back" : "rejected",
    commitSha: saved.commit,
    branch: saved.branch,
    summary: { ...row.summary, text: summary, tag: saved.tag, reason: decision.reason, canary: { id: canary.id, outcome: decision.outcome, rule: decision.rule, evidence: decision.evidence } },
  });
  deps.logger.info(
    { name: `canary-${decision.outcome.replace("_", "-")}`, tenant: canary.tenant, signature: canary.signature, canary: canary.id, candidate: canary.candidateVersion, incumbent: canary.incumbentVersion, commit: saved.commit, rule: decision.rule },
    `${summary}: ${decision.reason}`,
  );
  return deps.git ? saved.commit : null;
}
