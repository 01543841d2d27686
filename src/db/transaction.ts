// One place for BEGIN / COMMIT / ROLLBACK: a failed body rolls back and the error propagates
// unchanged; the connection always goes back to the pool.
import type pg from "pg";

/** Runs `fn` in a transaction on a connection the caller already holds. */
export async function inTransaction<T>(client: pg.ClientBase, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  }
}

/** Takes a connection from the pool, runs `fn` in a transaction on it, and releases it. */
export async function withTransaction<T>(pool: Pick<pg.Pool, "connect">, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, fn);
  } finally {
    client.release();
  }
}
