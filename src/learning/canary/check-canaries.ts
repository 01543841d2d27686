// Checks running canaries and carries out what they decide. Every replica may run it (the service
// does every canary_check_interval seconds; `meta-agent canary check` and POST /v1/canaries/check
// do it on demand): the decision is taken by the one process whose claim succeeds, committed to
// git with its evidence, then written to the canary's row. A process that dies between claim and
// finish leaves a stale claim another process takes over; saving is idempotent, so the commit
// happens once.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Database } from "../../db/database.js";
import type { Canary, CanaryEvidence } from "../../domain/canary.js";
import type { Logger } from "../../log/logger.js";
import { listCanaryRuns } from "../../collector/query/list-canary-runs.js";
import { claimCanary, finishCanary, listCanaries, releaseCanary } from "../../registry/canary/canary-store.js";
import { settleCanary } from "../../registry/canary/settle-canary.js";
import type { RegistryDeps } from "../../registry/registry-deps.js";
import { recordCanaryDecision } from "../../observability/metrics.js";
import { listTenants } from "../run-scheduled-cycles.js";
import { decideCanary } from "./decide-canary.js";

export interface CheckCanariesDeps {
  db: Database;
  registry: RegistryDeps;
  logger: Logger;
  /** Names this process in claims. Default: host, pid and a random suffix. */
  owner?: string;
  /** Called after a decision (the orchestrator forgets its cached canaries). */
  onDecided?: (canary: Canary) => void;
  /** A claim older than this is taken over. Default 5 minutes. */
  staleClaimMs?: number;
}

export interface CanaryCheck {
  canary: Canary;
  evidence: CanaryEvidence;
  /** What this check did: nothing yet, decided, or left to the process that claimed it. */
  action: "running" | "decided" | "claimed-elsewhere";
}

const defaultOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Checks the running canaries of `tenant` (default: every tenant). */
export async function checkCanaries(deps: CheckCanariesDeps, options: { tenant?: string; now?: () => Date } = {}): Promise<CanaryCheck[]> {
  const owner = deps.owner ?? defaultOwner;
  const out: CanaryCheck[] = [];
  for (const tenant of options.tenant ? [options.tenant] : await listTenants(deps.db)) {
    for (const canary of await listCanaries(deps.db, tenant, { active: true })) {
      const runs = await listCanaryRuns(deps.db.forTenant(tenant).pool, tenant, canary.signature, canary.id);
      const look = decideCanary(canary, runs, options.now?.() ?? new Date());
      if (!look.decision) {
        out.push({ canary, evidence: look.evidence, action: "running" });
        continue;
      }
      if (!(await claimCanary(deps.db, tenant, canary.id, owner, deps.staleClaimMs))) {
        out.push({ canary, evidence: look.evidence, action: "claimed-elsewhere" });
        continue;
      }
      const decision = { ...look.decision, decidedBy: owner };
      try {
        const commit = await settleCanary(deps.registry, canary, decision);
        const finished = await finishCanary(deps.db, tenant, canary.id, decision, commit);
        recordCanaryDecision(tenant, canary.signature, decision.outcome, decision.rule);
        deps.onDecided?.(finished);
        out.push({ canary: finished, evidence: look.evidence, action: "decided" });
      } catch (e) {
        await releaseCanary(deps.db, tenant, canary.id, owner).catch(() => undefined);
        deps.logger.error({ name: "canary-decision-failed", tenant, canary: canary.id, signature: canary.signature, err: e }, "carrying out a canary decision failed; the next check retries");
        throw e;
      }
    }
  }
  return out;
}

/** The tenant's canaries with live evidence for those running (GET /v1/canaries). */
export async function listCanaryStatus(deps: Pick<CheckCanariesDeps, "db">, tenant: string, options: { limit?: number; now?: Date } = {}): Promise<(Canary & { evidence: CanaryEvidence | null })[]> {
  const canaries = await listCanaries(deps.db, tenant, { limit: options.limit ?? 50 });
  return Promise.all(
    canaries.map(async (c) => {
      if (c.decision) return { ...c, evidence: c.decision.evidence };
      const runs = await listCanaryRuns(deps.db.forTenant(tenant).pool, tenant, c.signature, c.id);
      return { ...c, evidence: decideCanary(c, runs, options.now ?? new Date()).evidence };
    }),
  );
}
