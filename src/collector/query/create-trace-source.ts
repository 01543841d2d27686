// The collector's side of memory's TraceSource port (memory/trace-source.ts): the ids and
// sequence numbers of a selection of traces, and the fields memory reads of some of them, each
// in the tenant's scope.
import type { Database } from "../../db/database.js";
import type { MemoryTrace, TraceSource } from "../../memory/trace-source.js";
import type { TraceRowInput } from "../trace-rows.js";

type Row = Pick<TraceRowInput, "id" | "agent" | "signature" | "prompt_version" | "problem" | "input" | "output" | "success" | "score" | "feedback"> & { seq: string };

function toMemoryTrace(r: Row): MemoryTrace {
  return {
    id: r.id,
    agent: r.agent,
    seq: BigInt(r.seq),
    ...(r.signature === null ? {} : { signature: r.signature }),
    ...(r.prompt_version === null ? {} : { promptVersion: r.prompt_version }),
    ...(r.problem === null ? {} : { problem: r.problem as MemoryTrace["problem"] }),
    ...(r.input === null ? {} : { input: r.input as MemoryTrace["input"] }),
    ...(r.output === null ? {} : { output: r.output as MemoryTrace["output"] }),
    ...(r.success === null ? {} : { outcome: { success: r.success, ...(r.score === null ? {} : { score: r.score }), ...(r.feedback === null ? {} : { feedback: r.feedback }) } }),
  };
}

/** Reads traces for memory/ through `db`, scoped to the tenant of each call. */
export function createTraceSource(db: Pick<Database, "forTenant">): TraceSource {
  return {
    async listTraceSeqs(tenant, selection) {
      const { rows } = await db.forTenant(tenant).pool.query<{ id: string; seq: string }>(
        `SELECT "id", "seq"::text AS "seq" FROM "traces"
          WHERE "tenant_id" = $1 AND ($2::text IS NULL OR "agent" = $2) AND ($3::text IS NULL OR "signature" = $3) AND ($4::text[] IS NULL OR "id" = ANY($4::text[]))
          ORDER BY "seq"`,
        [tenant, selection.agent ?? null, selection.signature ?? null, selection.traceIds ? [...selection.traceIds] : null],
      );
      return rows.map((r) => ({ id: r.id, seq: BigInt(r.seq) }));
    },
    async readTraces(tenant, ids) {
      if (ids.length === 0) return [];
      const { rows } = await db.forTenant(tenant).pool.query<Row>(
        `SELECT "id", "agent", "signature", "prompt_version", "problem", "input", "output", "success", "score", "feedback", "seq"::text AS "seq"
           FROM "traces" WHERE "tenant_id" = $1 AND "id" = ANY($2::text[])`,
        [tenant, [...ids]],
      );
      return rows.map(toMemoryTrace);
    },
  };
}
