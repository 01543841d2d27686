// Builders for learning-cycle tests: traces inserted by SQL exactly as ingest stores them.
import { nameBasedUuid } from "../../src/domain/name-based-id.js";
import type { Database } from "../../src/db/database.js";

export interface TraceRow {
  tenant?: string;
  agent: string;
  signature?: string | null;
  promptVersion?: string | null;
  success?: boolean | null;
  score?: number | null;
  promptTokens?: number;
  completionTokens?: number;
  durationMs?: number | null;
  input?: unknown;
  output?: unknown;
  /** A correction (`outcome.expected`, column `expected_output`). */
  expected?: Record<string, unknown>;
}

// Ids follow the order of insertion in the test file's process, so a test's train/dev split (a
// hash of trace ids) and everything learned from it are the same on every run.
let inserted = 0;

/** Inserts traces (creating their tenants) and returns their ids. */
export async function insertTraces(db: Database, rows: TraceRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const tenant of new Set(rows.map((r) => r.tenant ?? "default"))) {
    await db.pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING`, [tenant]);
  }
  for (const r of rows) {
    const id = nameBasedUuid(`learning fixture\u0000${inserted++}`);
    ids.push(id);
    await db.pool.query(
      `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, success, score, started_at, duration_ms, prompt_tokens, completion_tokens, input, output, content_hash, expected_output)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10, $11, $12, $2, $13)`,
      [r.tenant ?? "default", id, r.agent, r.signature ?? null, r.promptVersion ?? null, r.success ?? null, r.score ?? null, r.durationMs ?? null, r.promptTokens ?? 0, r.completionTokens ?? 0, r.input === undefined ? null : JSON.stringify(r.input), r.output === undefined ? null : JSON.stringify(r.output), r.expected === undefined ? null : JSON.stringify(r.expected)],
    );
  }
  return ids;
}

/** `n` traces of one agent/signature. */
export function traces(n: number, row: TraceRow): TraceRow[] {
  return Array.from({ length: n }, () => ({ ...row }));
}

/**
 * The simulator's task bank for learning-cycle tests: disk-usage incidents the model gets right
 * only after seeing a solved example of the family (a demo). `latencyMs` slows each call, for
 * tests that must interrupt a cycle while model calls are in flight.
 */
export function diskIncidentBank(options: { latencyMs?: number } = {}) {
  return {
    families: [
      {
        id: "disk",
        match: { keywords: ["disk usage"] },
        answer: { rootCause: "disk full on node-3" },
        wrongAnswer: { rootCause: "unknown" },
        baseAccuracy: 0.1,
        fixedBy: ["disk usage at 100%"],
        ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
      },
    ],
  };
}

/** The incident report of disk incident `i`: the family diskIncidentBank answers (and fixes with a demo). */
export const diskIncidentReport = (i: number) => `Incident ${i}: disk usage at 100% on node-3, pods evicted in namespace shop-${i}`;

/** `n` successful runs of the `diagnosis` signature (1.0.0) on disk incidents, for `tenant`. */
export function diskIncidents(n: number, tenant = "default"): TraceRow[] {
  return Array.from({ length: n }, (_, i) => ({
    tenant,
    agent: "diagnosis",
    signature: "diagnosis",
    promptVersion: "1.0.0",
    success: true,
    input: { incidentReport: diskIncidentReport(i) },
    output: { rootCause: "disk full on node-3" },
  }));
}
