// The content hash of traces as they are stored now, recomputed from their rows and steps (never
// the `content_hash` column, which a direct edit of a row would leave as it was): what a
// version's provenance records at compile time and what verification recomputes.
import type pg from "pg";
import { traceContentHash } from "./trace-content.js";
import { findTraces } from "./query/get-trace.js";
import { traceDataOf } from "./trace-rows.js";

const CHUNK = 500;

/** Hash of each trace of `tenant` among `ids` that still exists, by id (absent ids are gone). */
export async function hashStoredTraces(pool: Pick<pg.Pool, "query">, tenant: string, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = await findTraces(pool, tenant, ids.slice(i, i + CHUNK));
    for (const [id, trace] of found) out.set(id, traceContentHash(traceDataOf(trace)));
  }
  return out;
}
