// OTLP exporters send a trace's spans in several exports as the spans end; with more than one
// service instance on a database, exports of the same trace reach different instances at once.
// Each export merges into the stored trace (read, merge, write): two merges of one trace must
// never interleave, or one overwrites the other's spans. Two connection pools on one database
// stand for two instances here (nothing in the process serializes them). On the embedded
// database the merge's transaction alone serializes them, since PGlite runs one transaction at
// a time; on a PostgreSQL server the per-trace advisory lock taken first in that transaction does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ingestOtlp } from "../../src/collector/otlp/ingest-otlp.js";
import { getTrace } from "../../src/collector/query/get-trace.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const ROOT_SPAN = "00f067aa0ba902b7";
const T0 = 1_763_800_000_000_000_000n;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const exportOf = (span: Record<string, unknown>) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "merge-test" }, spans: [span] }] }] });
const rootSpan = () =>
  exportOf({ traceId: TRACE_ID, spanId: ROOT_SPAN, name: "invoke_agent diagnosis", kind: 1, startTimeUnixNano: String(T0), endTimeUnixNano: String(T0 + 60_000_000_000n), attributes: [str("gen_ai.operation.name", "invoke_agent"), str("gen_ai.agent.name", "diagnosis")], status: {} });
/** Tool span `i`: its own start time, so each is a distinct step. */
const toolSpan = (i: number) =>
  exportOf({
    traceId: TRACE_ID,
    spanId: (0x1000 + i).toString(16).padStart(16, "0"),
    parentSpanId: ROOT_SPAN,
    name: `execute_tool tool_${i}`,
    kind: 1,
    startTimeUnixNano: String(T0 + BigInt(i + 1) * 1_000_000_000n),
    endTimeUnixNano: String(T0 + BigInt(i + 1) * 1_000_000_000n + 500_000_000n),
    attributes: [str("gen_ai.operation.name", "execute_tool"), str("gen_ai.tool.name", `tool_${i}`)],
    status: {},
  });

describe("OTLP exports of one trace reaching two instances at once", () => {
  let t: TestDatabase;
  let other: pg.Pool;
  beforeAll(async () => {
    t = await createTestDatabase();
    other = new pg.Pool({ connectionString: t.db.url, max: 10 });
  });
  afterAll(async () => {
    await other?.end();
    await t?.close();
  });

  it("merges every span: no export overwrites another's", async () => {
    const instances = [t.db.pool, other];
    const exports = [rootSpan(), ...Array.from({ length: 40 }, (_, i) => toolSpan(i))];
    const answers = await Promise.all(exports.map((body, i) => ingestOtlp(instances[i % 2]!, "default", body)));
    expect(answers.filter((a) => a.partialSuccess !== undefined || a.traces !== 1)).toEqual([]);

    const trace = await getTrace(t.db.pool, "default", TRACE_ID);
    const tools = trace.steps.flatMap((s) => (s.type === "tool_call" ? [s.name] : []));
    expect(tools.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `tool_${i}`).sort());
    expect(trace.agent).toBe("diagnosis");
  });
});
