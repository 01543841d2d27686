// A trace's `seq` comes from a sequence when it is written, but transactions commit in any
// order: a writer that drew seq 100 may commit after one that drew 101. A reader that read up to
// 101 and kept 101 as its watermark (the analyzer's incremental runs, the learning loop's count
// of new traces) would skip 100 for ever. So every transaction that writes traces first takes a
// shared advisory lock, and a reader asks for the *stable* seq: it takes the same lock
// exclusively for an instant — by then every writer that drew a seq has committed or rolled back,
// and every later one will draw a higher seq — and reads the highest seq stored. Reading
// `seq > watermark AND seq <= stable` then never skips a trace.
//
// On the embedded database transactions already run one at a time (one PGlite session), so the
// lock never waits there; it matters on a PostgreSQL server with concurrent writers.
import type pg from "pg";
import { withTransaction } from "../db/transaction.js";

const KEY = "hashtext('meta-agent:trace-writes')";
/** The shared lock as an SQL expression, for a writer that takes it inside its own statement. */
export const TRACE_WRITE_LOCK_SQL = `pg_advisory_xact_lock_shared(${KEY})`;

/** Call first in a transaction that writes `traces` (before any seq is drawn). */
export async function lockTraceWrites(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT ${TRACE_WRITE_LOCK_SQL}`);
}

/** The highest seq below which no trace can still appear: wait for writers in flight, then read max(seq). */
export async function stableTraceSeq(pool: Pick<pg.Pool, "connect">): Promise<bigint> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${KEY})`);
    const { rows } = await client.query<{ max: string | null }>("SELECT max(seq)::text AS max FROM traces");
    return BigInt(rows[0]?.max ?? 0);
  });
}
