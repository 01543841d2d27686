// Persists one analysis run and its patterns (with change status against the previous run of
// the agent, and rows for vanished patterns) in the caller's transaction.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { PatternChange } from "../domain/pattern.js";
import type { ScoredPattern } from "./score-candidates.js";
import type { StratumSummary } from "./mine-patterns.js";
import { changeStatus, vanished } from "./compare-runs.js";

export interface RunRecord {
  tenant: string;
  agent: string;
  mode: "full" | "incremental";
  windowStart: Date | null;
  windowEnd: Date;
  fromSeq: bigint;
  toSeq: bigint;
  tracesRead: number;
  totalTraces: number;
  stats: Record<string, unknown>;
  startedAt: Date;
}

export type StoredPattern = ScoredPattern & { id: string; change: PatternChange };

/** Latest successful run of the agent, if any. */
export async function previousRunId(client: pg.ClientBase, tenant: string, agent: string): Promise<string | undefined> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM analysis_runs WHERE tenant_id = $1 AND agent = $2 AND status = 'succeeded' ORDER BY finished_at DESC, started_at DESC LIMIT 1`,
    [tenant, agent],
  );
  return rows[0]?.id;
}

/** Writes the run, its patterns and the groups it compared within; returns the run id and the stored patterns. */
export async function saveAnalysisRun(client: pg.ClientBase, run: RunRecord, patterns: readonly ScoredPattern[], strata: readonly StratumSummary[] = []): Promise<{ runId: string; patterns: StoredPattern[] }> {
  const previousId = await previousRunId(client, run.tenant, run.agent);
  const previous = previousId
    ? (
        await client.query<ScoredPattern & { p_value: number | null }>(
          `SELECT type, key, description, recommendations, support, frequency, effect, baseline, confidence, p_value, actionable, evidence, stats,
                  evidence_kind AS "evidenceKind", adjusted_effect AS "adjustedEffect", adjusted_p_value AS "adjustedPValue", implied_by AS "impliedBy"
           FROM patterns WHERE tenant_id = $2 AND run_id = $1 AND change <> 'vanished'`,
          [previousId, run.tenant],
        )
      ).rows.map(({ p_value, ...p }) => ({ ...p, pValue: p_value ?? 1 }))
    : [];
  const before = new Map(previous.map((p) => [p.key, p]));
  // A finding moves by its adjusted effect where it has one (that is the effect it is judged on).
  const comparable = (p: ScoredPattern) => ({ ...p, effect: p.adjustedEffect ?? p.effect });
  const stored: StoredPattern[] = patterns.map((p) => {
    const prev = before.get(p.key);
    return { ...p, id: randomUUID(), change: changeStatus(comparable(p), prev ? comparable(prev) : undefined) };
  });
  for (const gone of vanished(previous, new Set(patterns.map((p) => p.key)))) stored.push({ ...gone, id: randomUUID(), change: "vanished", actionable: false });
  const runId = randomUUID();
  await client.query(
    `INSERT INTO analysis_runs (id, tenant_id, agent, status, mode, window_start, window_end, from_seq, to_seq, traces_read, total_traces, stats, started_at, finished_at)
     VALUES ($1, $2, $3, 'succeeded', $4, $5, $6, $7, $8, $9, $10, $11, $12, clock_timestamp())`,
    [runId, run.tenant, run.agent, run.mode, run.windowStart, run.windowEnd, run.fromSeq.toString(), run.toSeq.toString(), run.tracesRead, run.totalTraces, JSON.stringify(run.stats), run.startedAt],
  );
  if (stored.length > 0) {
    // One statement for all rows: jsonb_to_recordset keeps a run's patterns all-or-nothing and fast.
    await client.query(
      `INSERT INTO patterns (id, tenant_id, run_id, agent, type, key, description, recommendations, support, frequency, effect, baseline, confidence, p_value, actionable, change, evidence, stats,
                             evidence_kind, adjusted_effect, adjusted_p_value, implied_by)
       SELECT r.id, $1, $2, $3, r.type, r.key, r.description, r.recommendations, r.support, r.frequency, r.effect, r.baseline, r.confidence, r.p_value, r.actionable, r.change, r.evidence, r.stats,
              r.evidence_kind, r.adjusted_effect, r.adjusted_p_value, r.implied_by
       FROM jsonb_to_recordset($4::jsonb) AS r(id text, type text, key text, description text, recommendations jsonb, support int, frequency float8, effect float8, baseline float8, confidence float8, p_value float8, actionable bool, change text, evidence jsonb, stats jsonb,
                                               evidence_kind text, adjusted_effect float8, adjusted_p_value float8, implied_by text)`,
      [
        run.tenant,
        runId,
        run.agent,
        JSON.stringify(
          stored.map((p) => ({
            id: p.id, type: p.type, key: p.key, description: p.description, recommendations: p.recommendations, support: p.support, frequency: p.frequency, effect: p.effect,
            baseline: p.baseline, confidence: p.confidence, p_value: p.pValue, actionable: p.actionable, change: p.change, evidence: p.evidence, stats: p.stats,
            evidence_kind: p.evidenceKind, adjusted_effect: p.adjustedEffect, adjusted_p_value: p.adjustedPValue, implied_by: p.impliedBy,
          })),
        ),
      ],
    );
  }
  if (strata.length > 0) {
    await client.query(
      `INSERT INTO analysis_strata (id, tenant_id, run_id, agent, kind, key, label, size, labelled, successes, examples, members)
       SELECT r.id, $1, $2, $3, r.kind, r.key, r.label, r.size, r.labelled, r.successes, r.examples, r.members
       FROM jsonb_to_recordset($4::jsonb) AS r(id text, kind text, key text, label text, size int, labelled int, successes int, examples jsonb, members jsonb)`,
      [run.tenant, runId, run.agent, JSON.stringify(strata.map((s) => ({ id: randomUUID(), kind: s.kind, key: s.key, label: s.label, size: s.size, labelled: s.labelled, successes: s.successes, examples: s.examples, members: s.members })))],
    );
  }
  return { runId, patterns: stored };
}
