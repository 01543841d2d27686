// The experience-replay buffer (`experience_replay` in SQL: batch upserts by jsonb_to_recordset and
// eviction by OFFSET; `heuristic_watermarks` in Prisma: one keyed row per tenant; owned here): runs
// with an outcome, the heuristics their prompt carried (read from the guidelines of the version
// they ran with) and their reward. Bounded: beyond its capacity the oldest runs are evicted.
import { listRunOutcomes } from "../collector/query/run-outcomes.js";
import type { Database } from "../db/database.js";
import { parseCompiledVersion } from "../domain/compiled-version.js";
import { getMirror } from "../registry/version-mirror.js";

type Db = Pick<Database, "forTenant">;

export interface Experience {
  traceId: string;
  seq: bigint;
  agent: string;
  signature: string;
  version: string | null;
  task: string | null;
  heuristicIds: string[];
  reward: number;
}

const BATCH = 1000;

/** Reads runs changed since the watermark into the buffer, then evicts beyond `capacity`. Returns how many were read and evicted. */
export async function fillReplayBuffer(db: Db, tenant: string, capacity: number): Promise<{ added: number; evicted: number }> {
  const scope = db.forTenant(tenant);
  const prisma = scope.prisma;
  const mark = await prisma.heuristicWatermark.findUnique({ where: { tenantId: tenant } });
  let after = mark?.lastSeq ?? 0n;
  const carried = new Map<string, string[]>();
  const heuristicsOf = async (signature: string, version: string | null): Promise<string[]> => {
    if (!version) return [];
    const k = `${signature}@${version}`;
    let ids = carried.get(k);
    if (!ids) {
      const row = await getMirror(db, tenant, signature, version);
      ids = [];
      if (row) {
        try {
          ids = parseCompiledVersion(row.content).guidelines.flatMap((g) => (g.heuristicId ? [g.heuristicId] : []));
        } catch {
          // A version file that no longer parses carries nothing we can credit.
        }
      }
      carried.set(k, ids);
    }
    return ids;
  };
  let added = 0;
  for (;;) {
    const runs = await listRunOutcomes(scope.pool, tenant, after, BATCH);
    if (runs.length === 0) break;
    const rows = [];
    for (const r of runs) {
      rows.push({ trace_id: r.id, seq: r.seq.toString(), agent: r.agent, signature: r.signature, version: r.promptVersion, task: r.task, heuristic_ids: await heuristicsOf(r.signature, r.promptVersion), reward: r.reward, started_at: r.startedAt.toISOString() });
    }
    // One statement per batch (a buffer of thousands of runs must not cost thousands of round trips).
    await scope.pool.query(
      `INSERT INTO experience_replay (tenant_id, trace_id, seq, agent, signature, version, task, heuristic_ids, reward, started_at)
       SELECT $1, trace_id, seq, agent, signature, version, task, heuristic_ids, reward, started_at
         FROM jsonb_to_recordset($2::jsonb) AS x(trace_id text, seq bigint, agent text, signature text, version text, task text, heuristic_ids jsonb, reward float8, started_at timestamptz)
       ON CONFLICT (tenant_id, trace_id) DO UPDATE SET seq = EXCLUDED.seq, agent = EXCLUDED.agent, signature = EXCLUDED.signature, version = EXCLUDED.version,
         task = EXCLUDED.task, heuristic_ids = EXCLUDED.heuristic_ids, reward = EXCLUDED.reward, started_at = EXCLUDED.started_at`,
      [tenant, JSON.stringify(rows)],
    );
    added += runs.length;
    after = runs.at(-1)!.seq;
  }
  await prisma.heuristicWatermark.upsert({ where: { tenantId: tenant }, create: { tenantId: tenant, lastSeq: after }, update: { lastSeq: after } });
  const evicted = await scope.pool.query(
    `DELETE FROM experience_replay WHERE tenant_id = $1 AND trace_id IN (
       SELECT trace_id FROM experience_replay WHERE tenant_id = $1 ORDER BY seq DESC OFFSET $2)`,
    [tenant, capacity],
  );
  return { added, evicted: evicted.rowCount ?? 0 };
}

/** The buffer, oldest first. */
export async function readReplayBuffer(db: Db, tenant: string): Promise<Experience[]> {
  const { rows } = await db.forTenant(tenant).pool.query<{ trace_id: string; seq: string; agent: string; signature: string; version: string | null; task: string | null; heuristic_ids: unknown; reward: number }>(
    `SELECT trace_id, seq::text AS seq, agent, signature, version, task, heuristic_ids, reward FROM experience_replay WHERE tenant_id = $1 ORDER BY seq`,
    [tenant],
  );
  return rows.map((r) => ({ traceId: r.trace_id, seq: BigInt(r.seq), agent: r.agent, signature: r.signature, version: r.version, task: r.task, heuristicIds: Array.isArray(r.heuristic_ids) ? (r.heuristic_ids as unknown[]).filter((x): x is string => typeof x === "string") : [], reward: Number(r.reward) }));
}

/** Runs in the buffer. */
export async function replayBufferSize(db: Db, tenant: string): Promise<number> {
  const { rows } = await db.forTenant(tenant).pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM experience_replay WHERE tenant_id = $1`, [tenant]);
  return Number(rows[0]?.n ?? 0);
}

const REFLECTED_KEPT = 5000;

/** Failed runs a model has reflected on already. */
export async function reflectedRuns(db: Db, tenant: string): Promise<string[]> {
  const row = await db.forTenant(tenant).prisma.heuristicWatermark.findUnique({ where: { tenantId: tenant } });
  return Array.isArray(row?.reflected) ? (row.reflected as unknown[]).filter((x): x is string => typeof x === "string") : [];
}

/** Remembers runs reflected on (the newest REFLECTED_KEPT). */
export async function markReflected(db: Db, tenant: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const all = [...(await reflectedRuns(db, tenant)), ...ids].slice(-REFLECTED_KEPT);
  await db.forTenant(tenant).prisma.heuristicWatermark.upsert({ where: { tenantId: tenant }, create: { tenantId: tenant, reflected: all }, update: { reflected: all } });
}
