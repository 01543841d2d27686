// The one use case that compiles a signature for a tenant and records the outcome: the CLI's
// `compile`, the HTTP API and the learning cycle all call it. A promoted candidate is committed
// (or sent for review) by the registry; an evaluated, rejected one is mirrored with its reason;
// a dry run, a candidate identical to its parent, or one nobody could evaluate records nothing.
import { findPatterns } from "../analyzer/latest-patterns.js";
import { recordCandidate, type RecordCandidateResult } from "../registry/record-candidate.js";
import { appliedPatternIds } from "../registry/resolve-applied-patterns.js";
import type { RegistryDeps } from "../registry/registry-deps.js";
import type { Canary } from "../domain/canary.js";
import type { CanaryPolicy } from "../registry/canary/canary-policy.js";
import { listCanaries } from "../registry/canary/canary-store.js";
import { startCanary } from "../registry/canary/start-canary.js";
import { compileSignature, type CompileDeps, type CompileReport, type CompileSignatureRequest } from "./compile-signature.js";

export interface CompileAndRecordDeps {
  compile: CompileDeps;
  registry: RegistryDeps;
  /** rollout: canary — a promoted candidate starts a canary instead of being served at once. Default: none (the gate alone). */
  canary?: CanaryPolicy;
}

export interface CompileAndRecordRequest extends CompileSignatureRequest {
  /** Evaluate and report, record nothing. Default false. */
  dryRun?: boolean;
}

export interface CompileAndRecordResult {
  report: CompileReport;
  dryRun: boolean;
  /** What the registry recorded; null when nothing was (see the module comment). */
  recorded: RecordCandidateResult | null;
  /** The candidate's final number (the registry renumbers a candidate whose number is taken), or null. */
  version: string | null;
  /** The canary the promoted candidate started (rollout: canary); it serves a share of traffic until decided. */
  canary?: Canary;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "–" : v.toFixed(3));

/** The summary line of the commit or mirror row. */
export function outcomeSummary(report: CompileReport): string {
  return `${report.optimizer}, dev score ${fmt(report.evaluation.parent?.mean)} → ${fmt(report.evaluation.candidate?.mean)}`;
}

/** Compiles `request.name` for `request.tenant` and records the outcome; see the module comment. */
export async function compileAndRecord(deps: CompileAndRecordDeps, request: CompileAndRecordRequest): Promise<CompileAndRecordResult> {
  const report = await compileSignature(deps.compile, request);
  const dryRun = Boolean(request.dryRun);
  const candidate = report.candidate;
  const evaluated = report.evaluation.comparison !== null;
  if (dryRun || !candidate || report.unchanged || (!report.verdict.promoted && !evaluated)) {
    return { report, dryRun, recorded: null, version: candidate?.version ?? null };
  }
  // Last point to stop: once recording starts (baseline commit, candidate commit + tag, mirror)
  // it finishes, so git and the mirror never disagree.
  deps.compile.signal?.throwIfAborted();
  const summary = outcomeSummary(report);
  const findings = await findPatterns(deps.compile.db.forTenant(request.tenant).pool, request.tenant, appliedPatternIds(candidate));
  if (report.verdict.promoted && deps.canary?.enabledFor(request.tenant) && !deps.registry.store.review) {
    const inFlight = await listCanaries(deps.registry.db, request.tenant, { signature: candidate.name, active: true });
    if (inFlight.length === 0) {
      const canary = await startCanary(deps.registry, { tenant: request.tenant, candidate, incumbent: report.parent, settings: deps.canary.settings, summary: `${summary}\n\n${report.verdict.reason}` });
      return { report, dryRun, recorded: null, version: canary.candidateVersion, canary };
    }
    // One canary per signature at a time: this candidate is recorded as rejected, with why.
    const reason = `passed the gate (${report.verdict.reason}) but a canary of ${candidate.name} ${inFlight[0]!.candidateVersion} is still running`;
    const recorded = await recordCandidate(deps.registry, { tenant: request.tenant, candidate, verdict: "rejected", summary, reason, findings, ...(report.parentStored ? {} : { baseline: report.parent }) });
    return { report: { ...report, verdict: { promoted: false, reason } }, dryRun, recorded, version: recorded.version };
  }
  const recorded = await recordCandidate(deps.registry, {
    tenant: request.tenant,
    candidate,
    verdict: report.verdict.promoted ? "promoted" : "rejected",
    summary: report.verdict.promoted ? `${summary}\n\n${[report.verdict.reason, ...report.notes].join("\n")}` : summary,
    reason: report.verdict.reason,
    sources: report.sources,
    ...(report.parentStored ? {} : { baseline: report.parent }),
    flips: report.evaluation.flips,
    ...(findings.length > 0 ? { findings } : {}),
  });
  return { report, dryRun, recorded, version: recorded.version };
}
