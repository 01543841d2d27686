// The dashboard's view of canary releases: one flat row per canary (arms, success with runs, the
// difference with its interval, the decision and its reason), from the same listing as
// GET /v1/canaries, so the versions page shows what the API says.
import type { Canary, CanaryEvidence } from "../domain/canary.js";
import { listCanaryStatus, type CheckCanariesDeps } from "../learning/canary/check-canaries.js";

type CanaryWithEvidence = Canary & { evidence: CanaryEvidence | null };

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)} %`);

function armText(arm: CanaryEvidence["incumbent"] | undefined): string {
  if (!arm) return "–";
  return `${pct(arm.successRate)} (${arm.successes}/${arm.labelled} of ${arm.runs} runs)`;
}

/** One row a person reads: which versions, how each arm did, what was decided and why. */
export function canaryRow(c: CanaryWithEvidence): Record<string, string> {
  const ev = c.evidence;
  const interval = ev?.interval ? ` [${(ev.interval[0] * 100).toFixed(1)}, ${(ev.interval[1] * 100).toFixed(1)}]` : "";
  return {
    signature: c.signature,
    incumbent: c.incumbentVersion,
    candidate: c.candidateVersion,
    status: c.status,
    share: `${Math.round(c.settings.share * 100)} %`,
    "incumbent success": armText(ev?.incumbent),
    "candidate success": armText(ev?.candidate),
    "difference (pts)": ev?.difference === null || ev?.difference === undefined ? "–" : `${(ev.difference * 100).toFixed(1)}${interval}`,
    decision: c.decision ? `${c.decision.outcome} (${c.decision.rule}): ${c.decision.reason}` : "running",
    started: c.startedAt,
  };
}

/** The tenant's canaries as dashboard rows. */
export async function listCanaryRows(deps: Pick<CheckCanariesDeps, "db">, tenant: string): Promise<Record<string, string>[]> {
  return (await listCanaryStatus(deps, tenant)).map(canaryRow);
}
