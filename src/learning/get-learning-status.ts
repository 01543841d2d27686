// Seed 003's learning status: cycles run, last learning time, patterns learned, whether a cycle
// would do anything now, and per signature its active version and score trend.
import { countActionablePatterns } from "../analyzer/latest-patterns.js";
import type { Database } from "../db/database.js";
import { listServedHistory, type MirrorRow } from "../registry/version-mirror.js";
import type { LearningTarget } from "./learning-deps.js";
import { countNewTraces } from "./new-traces.js";

export interface SignatureStatus {
  name: string;
  agent: string;
  new_traces: number;
  ready: boolean;
  active_version: string | null;
  /** Dev-set scores of the promoted versions, oldest first (last 10). */
  score_trend: { version: string; score: number | null; at: string }[];
}

export interface LearningStatus {
  tenant: string;
  learning_cycles: number;
  last_learning_time: string | null;
  last_cycle: { id: string; status: string; reason: string | null } | null;
  running_cycle: string | null;
  total_patterns_learned: number;
  ready_for_learning: boolean;
  min_traces_for_analysis: number;
  signatures: SignatureStatus[];
}

export interface StatusOptions {
  tenant: string;
  minTracesForAnalysis: number;
  /** Signatures to report (the learning deps' listTargets). */
  targets: LearningTarget[];
}

/** Reads the tenant's learning state. */
export async function getLearningStatus(db: Database, options: StatusOptions): Promise<LearningStatus> {
  const { tenant } = options;
  db = db.forTenant(tenant);
  const [cycles, last, running, patterns, versions] = await Promise.all([
    db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM learning_cycles WHERE tenant_id = $1 AND status IN ('completed', 'idle', 'failed')`, [tenant]),
    db.pool.query<{ id: string; status: string; reason: string | null; finished_at: Date }>(
      `SELECT id, status, reason, finished_at FROM learning_cycles WHERE tenant_id = $1 AND finished_at IS NOT NULL AND status <> 'abandoned' ORDER BY finished_at DESC LIMIT 1`,
      [tenant],
    ),
    db.pool.query<{ id: string }>(`SELECT id FROM learning_cycles WHERE tenant_id = $1 AND status = 'running'`, [tenant]),
    countActionablePatterns(db.pool, tenant),
    listServedHistory(db, tenant),
  ]);
  const byName = new Map<string, MirrorRow[]>();
  for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
  const targets = [...options.targets];
  for (const name of byName.keys()) if (!targets.some((t) => t.signature === name)) targets.push({ signature: name, agent: name });
  const signatures = await Promise.all(
    targets.map(async (t): Promise<SignatureStatus> => {
      const fresh = await countNewTraces(db, tenant, t);
      const history = byName.get(t.signature) ?? [];
      const active = history.filter((v) => v.status === "active").at(-1);
      return {
        name: t.signature,
        agent: t.agent,
        new_traces: fresh.count,
        ready: fresh.count >= options.minTracesForAnalysis,
        active_version: active?.version ?? null,
        score_trend: history.slice(-10).map((v) => ({ version: v.version, score: v.score, at: (v.promotedAt ?? v.createdAt).toISOString() })),
      };
    }),
  );
  signatures.sort((a, b) => a.name.localeCompare(b.name));
  const lastRow = last.rows[0];
  return {
    tenant,
    learning_cycles: cycles.rows[0]!.n,
    last_learning_time: lastRow?.finished_at.toISOString() ?? null,
    last_cycle: lastRow ? { id: lastRow.id, status: lastRow.status, reason: lastRow.reason } : null,
    running_cycle: running.rows[0]?.id ?? null,
    total_patterns_learned: patterns,
    ready_for_learning: signatures.some((s) => s.ready),
    min_traces_for_analysis: options.minTracesForAnalysis,
    signatures,
  };
}
