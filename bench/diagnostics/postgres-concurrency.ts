// Diagnostic for a PostgreSQL server (not the embedded database, where transactions run one at a
// time and these races cannot happen): checks the two guards that only a server with concurrent
// transactions exercises, and exits 1 if one fails.
//   1. Trace-write barrier: a trace write still open is invisible to max(seq) — a watermark taken
//      then would skip it — and stableTraceSeq() waits for that write before answering.
//   2. OTLP merges: 41 exports of one trace (the agent span and 40 tool spans), sent at once
//      through two connection pools (two service instances), merge into one trace with every span.
//   DATABASE_URL=postgresql://… npx tsx bench/diagnostics/postgres-concurrency.ts
// The database needs the schema (the service migrates it on start; docker-compose's Postgres has pgvector).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { validateTrace } from "../../src/collector/ingest/ingest-traces.js";
import { storeTracesOn } from "../../src/collector/store-traces.js";
import { stableTraceSeq } from "../../src/collector/trace-write-barrier.js";
import { ingestOtlp } from "../../src/collector/otlp/ingest-otlp.js";
import { getTrace } from "../../src/collector/query/get-trace.js";
import { withTransaction } from "../../src/db/transaction.js";
import { makeTrace } from "../../test/support/trace-builder.js";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a PostgreSQL server with meta-agent's schema.");
  process.exit(2);
}
const instanceA = new pg.Pool({ connectionString: url, max: 10 });
const instanceB = new pg.Pool({ connectionString: url, max: 10 });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};
const validTrace = () => {
  const checked = validateTrace(makeTrace(), "");
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return checked.trace;
};
const seqOf = async (id: string) => BigInt((await instanceA.query<{ seq: string }>("SELECT seq::text FROM traces WHERE id = $1", [id])).rows[0]!.seq);

try {
  // 1. A write that drew the lower seq commits last.
  const open = await instanceA.connect();
  const late = validTrace();
  const early = validTrace();
  try {
    await open.query("BEGIN");
    await storeTracesOn(open, "default", [late]);
    await withTransaction(instanceB, (c) => storeTracesOn(c, "default", [early]));
    const naive = BigInt((await instanceB.query<{ m: string }>("SELECT max(seq)::text AS m FROM traces")).rows[0]!.m);
    check(naive === (await seqOf(early.id)), `while the first write is open, max(seq) is the second write's (${naive}): a watermark taken now would skip the first`);
    let settled = false;
    const stable = stableTraceSeq(instanceB).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    check(!settled, "stableTraceSeq() waits while the first write is open");
    await open.query("COMMIT");
    const lateSeq = await seqOf(late.id);
    const value = await stable;
    check(value >= lateSeq, `after the commit it answers ${value}, not below the first write's seq ${lateSeq}`);
  } finally {
    open.release();
  }

  // 2. Concurrent OTLP exports of one trace through two instances.
  const traceId = randomBytes(16).toString("hex");
  const root = randomBytes(8).toString("hex");
  const t0 = BigInt(Date.now()) * 1_000_000n;
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const exportOf = (span: object) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "postgres-concurrency" }, spans: [span] }] }] });
  const exports = [
    exportOf({ traceId, spanId: root, name: "invoke_agent diagnosis", kind: 1, startTimeUnixNano: String(t0), endTimeUnixNano: String(t0 + 60_000_000_000n), attributes: [attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", "diagnosis")], status: {} }),
    ...Array.from({ length: 40 }, (_, i) => {
      const start = t0 + BigInt(i + 1) * 1_000_000_000n;
      return exportOf({ traceId, spanId: randomBytes(8).toString("hex"), parentSpanId: root, name: `execute_tool tool_${i}`, kind: 1, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1_000_000n), attributes: [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", `tool_${i}`)], status: {} });
    }),
  ];
  const answers = await Promise.all(exports.map((body, i) => ingestOtlp(i % 2 ? instanceA : instanceB, "default", body)));
  check(answers.every((a) => a.partialSuccess === undefined), "every export is accepted whole");
  const merged = (await getTrace(instanceA, "default", traceId)).steps.filter((s) => s.type === "tool_call").length;
  check(merged === 40, `the trace holds all ${merged} of 40 tool spans`);
} finally {
  await instanceA.end();
  await instanceB.end();
}
process.exit(failures.length > 0 ? 1 : 0);
