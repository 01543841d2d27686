// Makes learning cycles exclusive across processes. Two guards, because each alone falls short:
// a Postgres advisory lock held on a dedicated connection for the whole cycle (exclusive on real
// Postgres, released by the server if the process dies), and a `running` row under a partial
// unique index (exclusive on the embedded database too, where all connections share one
// session and advisory locks are re-entrant). A heartbeat lets a crashed cycle's row expire.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";

/** Advisory-lock namespace for learning cycles (two-key form: this constant + hash of the tenant). */
const LOCK_CLASS = 0x4d_41_4c; // "MAL"

export interface ClaimOptions {
  tenant: string;
  trigger: string;
  agent?: string;
  /** How often the claim's heartbeat is refreshed, ms. Default 10 000. */
  heartbeatMs?: number;
  /** A `running` row whose heartbeat is older than this is abandoned, ms. Default 60 000. */
  staleAfterMs?: number;
  logger: Logger;
}

export interface CycleClaim {
  cycleId: string;
  startedAt: Date;
  /** Releases the lock and stops the heartbeat (the caller has already finished the row). */
  release(): Promise<void>;
}

export type ClaimResult = { claimed: true; claim: CycleClaim } | { claimed: false; reason: string; runningCycleId?: string };

/** Tries to become the one running cycle of the tenant; never waits. */
export async function claimCycle(db: Database, options: ClaimOptions): Promise<ClaimResult> {
  db = db.forTenant(options.tenant);
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const client = await db.pool.connect();
  let locked = false;
  try {
    const lock = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [LOCK_CLASS, `learning:${options.tenant}`]);
    locked = lock.rows[0]?.ok === true;
    if (!locked) {
      client.release();
      return { claimed: false, reason: "another learning cycle is running (advisory lock held by another process)" };
    }
    const abandoned = await client.query<{ id: string }>(
      `UPDATE learning_cycles SET status = 'abandoned', finished_at = now(),
              reason = 'abandoned: its process stopped sending heartbeats'
        WHERE tenant_id = $1 AND status = 'running' AND COALESCE(heartbeat_at, started_at) < now() - make_interval(secs => $2)
        RETURNING id`,
      [options.tenant, staleAfterMs / 1000],
    );
    for (const r of abandoned.rows) options.logger.warn({ name: "cycle-abandoned", cycleId: r.id, tenant: options.tenant }, "marked a stale running cycle as abandoned");
    const cycleId = randomUUID();
    const inserted = await client.query<{ started_at: Date }>(
      `INSERT INTO learning_cycles (id, tenant_id, trigger, status, agent, heartbeat_at)
       VALUES ($1, $2, $3, 'running', $4, now())
       ON CONFLICT (tenant_id) WHERE status = 'running' DO NOTHING
       RETURNING started_at`,
      [cycleId, options.tenant, options.trigger, options.agent ?? null],
    );
    if (inserted.rows.length === 0) {
      const running = await client.query<{ id: string }>(`SELECT id FROM learning_cycles WHERE tenant_id = $1 AND status = 'running'`, [options.tenant]);
      await unlock(client, options.tenant);
      client.release();
      return { claimed: false, reason: `another learning cycle is running (${running.rows[0]?.id ?? "just finished"})`, ...(running.rows[0] ? { runningCycleId: running.rows[0].id } : {}) };
    }
    return { claimed: true, claim: holdClaim(db, client, cycleId, inserted.rows[0]!.started_at, options) };
  } catch (e) {
    if (locked) await unlock(client, options.tenant).catch(() => undefined);
    client.release();
    throw e;
  }
}

function holdClaim(db: Database, client: pg.PoolClient, cycleId: string, startedAt: Date, options: ClaimOptions): CycleClaim {
  const beat = setInterval(() => {
    // Through the pool, not the lock connection, so a heartbeat never queues behind anything.
    db.pool.query(`UPDATE learning_cycles SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [cycleId]).catch((e: unknown) => {
      options.logger.warn({ name: "cycle-heartbeat-failed", cycleId, err: e }, "could not refresh the cycle heartbeat");
    });
  }, options.heartbeatMs ?? 10_000);
  beat.unref();
  let released: Promise<void> | undefined;
  return {
    cycleId,
    startedAt,
    release() {
      released ??= (async () => {
        clearInterval(beat);
        try {
          await unlock(client, options.tenant);
          client.release();
        } catch (e) {
          // A broken connection loses its session and with it the lock: destroy it.
          client.release(e as Error);
        }
      })();
      return released;
    },
  };
}

async function unlock(client: pg.PoolClient, tenant: string): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_CLASS, `learning:${tenant}`]);
}
