// The runs of a canary: the traces whose metadata names the canary (runSignature records
// `metadata.canary = { id, arm }`), with what the canary's test and guardrails read. Read in the
// tenant's scope; the traces table stays owned by collector/.
import type pg from "pg";

export interface CanaryRun {
  arm: "incumbent" | "candidate";
  version: string | null;
  /** The reported outcome; null until the caller reports one. */
  success: boolean | null;
  durationMs: number | null;
  tokens: number;
  costUsd: number | null;
}

/** Every run of canary `canaryId` of `signature`, oldest first. */
export async function listCanaryRuns(pool: pg.Pool, tenant: string, signature: string, canaryId: string): Promise<CanaryRun[]> {
  const { rows } = await pool.query<{ arm: string; prompt_version: string | null; success: boolean | null; duration_ms: number | null; tokens: number; cost_usd: number | null }>(
    `SELECT metadata->'canary'->>'arm' AS arm, prompt_version, success, duration_ms, prompt_tokens + completion_tokens AS tokens, cost_usd
       FROM traces WHERE tenant_id = $1 AND signature = $2 AND metadata->'canary'->>'id' = $3
      ORDER BY started_at, id`,
    [tenant, signature, canaryId],
  );
  return rows
    .filter((r) => r.arm === "incumbent" || r.arm === "candidate")
    .map((r) => ({ arm: r.arm as CanaryRun["arm"], version: r.prompt_version, success: r.success, durationMs: r.duration_ms, tokens: Number(r.tokens), costUsd: r.cost_usd }));
}
