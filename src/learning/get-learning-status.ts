// Seed 003's learning status: cycles run, last learning time, patterns learned, whether a cycle
// would do anything now, and per signature its active version and score trend.
import { countActionablePatterns } from "../analyzer/latest-patterns.js";
import type { Database } from "../db/database.js";
import { listServedHistory, type MirrorRow } from "../registry/version-mirror.js";
import type { DevSetReadiness, LearningTarget } from "./learning-deps.js";
import { countNewTraces } from "./new-traces.js";

export interface SignatureStatus {
  name: string;
  agent: string;
  new_traces: number;
  /** True when a cycle now could promote: enough new traces and a full dev set (the gate's own thresholds). */
  ready: boolean;
  /** Dev examples a compilation would evaluate on now, and dev_set_size (null: not measured, e.g. no signature source). */
  dev_examples: number | null;
  dev_set_size: number | null;
  /** Of the examples eligible for the dev set, those whose gold answer is a correction (`outcome.expected`); null: not measured. */
  corrected_examples: number | null;
  /** What is missing before a cycle can promote, in words ("14 of 20 dev examples (dev_set_size)..."); empty when ready. */
  missing: string[];
  /** The one version served now (the serving branch's). */
  active_version: string | null;
  /** Versions on review branches not merged yet (review mode): not served. */
  proposed_versions: string[];
  /** Dev-set scores of the versions served so far, oldest first (last 10). */
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
  /** The gate's smallest dev set (`dev_set_size`), when known. */
  dev_set_size: number | null;
  signatures: SignatureStatus[];
}

export interface StatusOptions {
  tenant: string;
  minTracesForAnalysis: number;
  /** Signatures to report (the learning deps' listTargets). */
  targets: LearningTarget[];
  /** The learning deps' measureDevSet: readiness then also needs the gate's dev_set_size. Default: not measured. */
  measureDevSet?: (target: LearningTarget) => Promise<DevSetReadiness | undefined>;
  /** dev_set_size, shown at the top. */
  devSetSize?: number;
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
      const rows = byName.get(t.signature) ?? [];
      // Served versions make the trend; a review version is proposed until its branch is merged.
      const history = rows.filter((v) => v.status !== "proposed" && v.status !== "candidate");
      const active = history.filter((v) => v.status === "active").at(-1);
      const proposed = rows.filter((v) => v.status === "proposed" || v.status === "candidate").map((v) => v.version);
      const dev = options.measureDevSet ? await options.measureDevSet(t).catch(() => undefined) : undefined;
      const missing: string[] = [];
      if (fresh.count < options.minTracesForAnalysis) missing.push(`${fresh.count} of ${options.minTracesForAnalysis} new traces (min_traces_for_analysis)`);
      if (dev && dev.devExamples < dev.needed) {
        const source = dev.goldOnly ? `successful or corrected traces with a valid output${dev.corrected ? ` (${dev.corrected} corrected)` : ""}` : "traces with valid inputs";
        missing.push(`${dev.devExamples} of ${dev.needed} dev examples (dev_set_size): ${dev.eligible} of ${dev.eligibleNeeded} ${source}, as the dev set takes at most half of them`);
      }
      return {
        name: t.signature,
        agent: t.agent,
        new_traces: fresh.count,
        ready: missing.length === 0,
        dev_examples: dev?.devExamples ?? null,
        dev_set_size: dev?.needed ?? null,
        corrected_examples: dev ? (dev.corrected ?? 0) : null,
        missing,
        active_version: active?.version ?? null,
        proposed_versions: proposed,
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
    dev_set_size: options.devSetSize ?? null,
    signatures,
  };
}
