// The content hash of analyzer findings as they are stored now: every column a reader of a
// pattern sees (statement, numbers, evidence), not its bookkeeping (created_at). A version's
// provenance records these at compile time; verification recomputes them.
import type pg from "pg";
import { hashContent } from "../domain/version-sources.js";

const CONTENT_COLUMNS = `id, run_id, agent, type, key, description, recommendations, support, frequency, effect, baseline,
  confidence, p_value, evidence_kind, adjusted_effect, adjusted_p_value, implied_by, actionable, change, evidence, stats`;

/** Hash of each pattern of `tenant` among `ids` that still exists, by id. */
export async function hashPatterns(pool: Pick<pg.Pool, "query">, tenant: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string }>(`SELECT ${CONTENT_COLUMNS} FROM patterns WHERE tenant_id = $1 AND id = ANY($2::text[])`, [tenant, ids]);
  return new Map(rows.map((r) => [r.id, hashContent(r)]));
}
