// "New traces" per signature: traces ingested (or updated — ingest bumps `seq`) after the last
// cycle that consumed them. A signature's traces are those naming it, or, for traces that name
// no signature, those of its agent.
import { countTracesAfter, listTraceSignatures } from "../collector/query/trace-targets.js";
import type { Database } from "../db/database.js";
import type { LearningTarget } from "./learning-deps.js";

export interface NewTraces {
  count: number;
  /** Highest sequence counted; becomes the watermark once the signature is processed. */
  maxSeq: bigint;
  lastSeq: bigint;
}

/**
 * Counts a target's traces after its watermark, and at most `upToSeq`. A caller that will advance
 * the watermark to the result's `maxSeq` passes the stable seq (stableTraceSeq), so the watermark
 * never passes a trace still being written; a count that is only shown needs no cap.
 */
export async function countNewTraces(db: Database, tenant: string, target: LearningTarget, upToSeq?: bigint): Promise<NewTraces> {
  db = db.forTenant(tenant);
  const { rows } = await db.pool.query<{ last_seq: string }>(`SELECT last_seq::text AS last_seq FROM learning_watermarks WHERE tenant_id = $1 AND signature = $2`, [tenant, target.signature]);
  const lastSeq = BigInt(rows[0]?.last_seq ?? 0);
  const after = await countTracesAfter(db.pool, tenant, { signature: target.signature, agent: target.agent, afterSeq: lastSeq, ...(upToSeq === undefined ? {} : { upToSeq }) });
  return { count: after.count, maxSeq: after.maxSeq ?? lastSeq, lastSeq };
}

/** Marks traces up to `seq` as consumed by learning for this signature. */
export async function advanceWatermark(db: Database, tenant: string, signature: string, seq: bigint): Promise<void> {
  db = db.forTenant(tenant);
  await db.pool.query(
    `INSERT INTO learning_watermarks (tenant_id, signature, last_seq, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (tenant_id, signature) DO UPDATE SET last_seq = GREATEST(learning_watermarks.last_seq, EXCLUDED.last_seq), updated_at = now()`,
    [tenant, signature, seq.toString()],
  );
}

/** Signatures seen in a tenant's traces (a signature name, else the agent name), with their agent. */
export async function targetsFromTraces(db: Database, tenant: string): Promise<LearningTarget[]> {
  db = db.forTenant(tenant);
  return listTraceSignatures(db.pool, tenant);
}
