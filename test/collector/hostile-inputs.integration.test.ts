// The hostile inputs of issue 23 that reach the collector, each sent to a real server over a real
// database: the three that stalled the service now leave /readyz answering, the ones that answered
// 500 get a 4xx naming the field, and nothing is stored changed without a word.
import { describe, expect, it } from "vitest";
import { request } from "node:http";
import { Readable } from "node:stream";
import { useCollectorServer } from "../support/collector-server.js";
import { makeTrace } from "../support/trace-builder.js";
import { makeChatRecord } from "../support/chat-log-builder.js";
import { startReadinessProbe } from "../support/readiness-probe.js";
import { getTrace } from "../../src/collector/query/get-trace.js";

const collector = useCollectorServer();
const url = (p: string) => collector.server.url + p;
const count = async (sql: string, params: unknown[] = []) => Number((await collector.t.db.pool.query(sql, params)).rows[0].n);

async function post(path: string, body: string | Buffer, contentType = "application/json"): Promise<{ status: number; body: any }> {
  const res = await fetch(url(path), { method: "POST", headers: { "content-type": contentType }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const get = async (path: string) => {
  const res = await fetch(url(path));
  return { status: res.status, body: (await res.json()) as any };
};
/** Sends a raw request target (fetch would normalize `%00` and friends). */
function getRaw(rawPath: string): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(collector.server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: rawPath }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const nanos = (ms: number) => String(BigInt(ms) * 1_000_000n);
const span = (traceId: string, spanId: string, extra: Record<string, unknown> = {}) => ({ traceId, spanId, name: "execute_tool get_pods", startTimeUnixNano: nanos(Date.parse("2026-02-01T10:00:00Z")), endTimeUnixNano: nanos(Date.parse("2026-02-01T10:00:01Z")), attributes: [{ key: "gen_ai.tool.name", value: { stringValue: "get_pods" } }], ...extra });
const otlp = (spans: unknown[], resource: unknown[] = []) => JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }] });

describe("the three stalls of issue 23", () => {
  it("runs a backtracking-prone errorPattern in linear time, and refuses patterns RE2 cannot run", async () => {
    const probe = startReadinessProbe(collector.server.url);
    const record = makeChatRecord(1);
    const tool = record.messages.find((m) => m.role === "tool")!;
    tool.content = `${"a".repeat(30)}!`;
    const res = await post(`/v1/import?agent=regex&errorPattern=${encodeURIComponent("^(a+)+$")}`, JSON.stringify(record), "application/x-ndjson");
    const { latencies, failures } = await probe.stop();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, imported: 1, invalid: 0 });
    expect(failures).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    // What RE2 cannot run is a 400 naming the option, before anything is read.
    for (const bad of ["(?=a)b", "(a)\\1", "x".repeat(501)]) {
      const refused = await post(`/v1/import?errorPattern=${encodeURIComponent(bad)}`, JSON.stringify(record), "application/x-ndjson");
      expect(refused.status, bad.slice(0, 20)).toBe(400);
      expect(refused.body.error.details[0].path).toBe("errorPattern");
    }
  });

  it("merges 40,000 spans of one trace (3 MB) in one pass, not in a minute", async () => {
    const traceId = "f".repeat(32);
    const start = nanos(Date.parse("2026-02-01T10:00:00Z"));
    const spans = Array.from({ length: 40_000 }, (_, i) => ({ traceId, spanId: i.toString(16).padStart(16, "0"), startTimeUnixNano: start }));
    const body = otlp(spans);
    // Client and server share this process: the body is built before the probe starts.
    const probe = startReadinessProbe(collector.server.url);
    const t0 = performance.now();
    const res = await post("/otlp/v1/traces", body);
    const seconds = (performance.now() - t0) / 1000;
    const { failures } = await probe.stop();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(failures).toEqual([]);
    // Not a timing target (bench/ measures those): the quadratic merge took 52.8 s here.
    expect(seconds).toBeLessThan(20);
    expect(await count("SELECT count(*) AS n FROM traces WHERE id = $1", [traceId])).toBe(1);
  });

  it("refuses a trace of more than 10,000 steps built from OTLP spans, naming the limit", async () => {
    const traceId = "9".repeat(32);
    const spans = Array.from({ length: 10_001 }, (_, i) => span(traceId, i.toString(16).padStart(16, "0"), { parentSpanId: "f".repeat(16) }));
    const res = await post("/otlp/v1/traces", otlp(spans));
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess).toMatchObject({ rejectedSpans: 10_001, errorMessage: expect.stringMatching(/steps: at most 10000 steps/) });
  });

  it("skips a 50 MB JSONL line without holding it (the per-record limit is the trace body limit) and imports the next record", async () => {
    const line = 50 * 1024 * 1024;
    async function* body() {
      yield Buffer.from('{"messages":[{"role":"user","content":"');
      const chunk = Buffer.alloc(1024 * 1024, "x");
      for (let sent = 0; sent < line; sent += chunk.length) yield chunk;
      yield Buffer.from('"}]}\n');
      yield Buffer.from(`${JSON.stringify({ ...makeChatRecord(2), id: "after-the-big-line" })}\n`);
    }
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const res = await fetch(url("/v1/import?agent=bigline"), { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: Readable.toWeb(Readable.from(body())) as ReadableStream, duplex: "half" } as RequestInit);
    clearInterval(timer);
    const summary = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(summary).toMatchObject({ total: 2, imported: 1, invalid: 1, errors: [{ index: 0, line: 1, errors: [{ message: expect.stringMatching(/larger than 5242880 bytes/) }] }] });
    expect(await count("SELECT count(*) AS n FROM traces WHERE agent = 'bigline'")).toBe(1);
    // The client and the server share this process: 50 MB held anywhere would show.
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
  });
});

describe("inputs that answered 500", () => {
  it("rejects OTLP times out of range and negative spans per span, naming the field", async () => {
    const traceId = "e".repeat(32);
    const spans = [
      span(traceId, "1".repeat(16), { startTimeUnixNano: "9".repeat(30) }),
      span(traceId, "2".repeat(16), { startTimeUnixNano: 1e30 }),
      span(traceId, "3".repeat(16), { endTimeUnixNano: "9".repeat(25) }),
      span(traceId, "4".repeat(16), { startTimeUnixNano: nanos(Date.parse("2026-02-01T10:00:02Z")) }),
      span(traceId, "5".repeat(16)),
    ];
    const res = await post("/otlp/v1/traces", otlp(spans));
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe(4);
    expect(res.body.partialSuccess.errorMessage).toMatch(/spans\[0\]\.startTimeUnixNano: is out of range/);
    expect(res.body.partialSuccess.errorMessage).toMatch(/spans\[3\]\.endTimeUnixNano: must not be before startTimeUnixNano/);
    // The one span left is the trace's root.
    expect((await getTrace(collector.t.db.pool, "default", traceId)).metadata).toMatchObject({ rootSpanId: "5".repeat(16) });
  });

  it("rejects an OTLP attribute nested 10,000 deep as one bad span (JSON) or a 400 (protobuf), not a stack overflow", async () => {
    // Written as text: JSON.stringify itself overflows the stack at this depth.
    const value = `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(10_000)}{"stringValue":"leaf"}${"}]}}".repeat(10_000)}`;
    const deepSpan = JSON.stringify(span("d".repeat(32), "1".repeat(16), { attributes: "ATTRS" })).replace('"ATTRS"', `[{"key":"deep","value":${value}}]`);
    const res = await post("/otlp/v1/traces", otlp(["SPAN", span("d".repeat(32), "2".repeat(16))]).replace('"SPAN"', deepSpan));
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/nests deeper than 64 levels/) });
    const deepResource = await post("/otlp/v1/traces", otlp([span("d".repeat(32), "3".repeat(16))], ["ATTR"]).replace('"ATTR"', `{"key":"deep","value":${value}}`));
    expect(deepResource.status).toBe(400);
    expect(deepResource.body.error.details[0].path).toMatch(/^resourceSpans\[0\]\.resource\.attributes\[0\]/);
    // Protobuf: 5,000 nested kvlists, hand-encoded (field 6 of AnyValue, field 1 of KeyValueList, field 2 of KeyValue).
    const lenPrefix = (tag: number, body: Buffer) => {
      const len: number[] = [];
      for (let n = body.length; ; n >>>= 7) {
        if (n < 0x80) {
          len.push(n);
          break;
        }
        len.push((n & 0x7f) | 0x80);
      }
      return Buffer.concat([Buffer.from([tag, ...len]), body]);
    };
    let any = lenPrefix(0x0a, Buffer.from("leaf"));
    for (let i = 0; i < 5_000; i++) any = lenPrefix(0x32, lenPrefix(0x0a, Buffer.concat([lenPrefix(0x0a, Buffer.from("k")), lenPrefix(0x12, any)])));
    const kv = Buffer.concat([lenPrefix(0x0a, Buffer.from("deep")), lenPrefix(0x12, any)]);
    const pbSpan = Buffer.concat([lenPrefix(0x0a, Buffer.alloc(16, 1)), lenPrefix(0x12, Buffer.alloc(8, 2)), lenPrefix(0x4a, kv)]);
    const body = lenPrefix(0x0a, lenPrefix(0x12, lenPrefix(0x12, pbSpan)));
    const pb = await fetch(url("/otlp/v1/traces"), { method: "POST", headers: { "content-type": "application/x-protobuf" }, body });
    expect([200, 400]).toContain(pb.status);
    expect(await count("SELECT count(*) AS n FROM traces WHERE id = $1", ["01".repeat(16)])).toBe(0);
  });

  it("imports past records whose names are objects or that nest 10,000 deep, and answers the summary with 0-based indexes", async () => {
    const good = Array.from({ length: 250 }, (_, i) => JSON.stringify({ ...makeChatRecord(1000 + i), id: `bulk-${i}` }));
    const nameObject = makeChatRecord(1);
    (nameObject.messages.find((m) => m.role === "assistant" && m.tool_calls) as any).tool_calls[0].function.name = { toString: 1 };
    const idObject = makeChatRecord(2);
    (idObject.messages.find((m) => m.role === "tool") as any).tool_call_id = { toString: "x" };
    const deep = `{"messages":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const lines = [...good.slice(0, 100), JSON.stringify(nameObject), ...good.slice(100, 200), JSON.stringify(idObject), deep, ...good.slice(200)];
    const res = await post("/v1/import?agent=bulk-bad", lines.join("\n"), "application/x-ndjson");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "completed", total: 253, imported: 250, invalid: 3 });
    expect(res.body.errors.map((e: any) => [e.index, e.line, e.errors[0].path])).toEqual([
      [100, 101, expect.stringMatching(/^messages\[\d+\]\.tool_calls\[0\]\.function\.name$/)],
      [201, 202, expect.stringMatching(/^messages\[\d+\]\.tool_call_id$/)],
      [202, 203, expect.stringMatching(/^messages(\[0\]){63}$/)],
    ]);
    expect(await count("SELECT count(*) AS n FROM traces WHERE agent = 'bulk-bad'")).toBe(250);
    // The summary is also the import's record.
    const record = await get(`/v1/imports/${res.body.id}`);
    expect(record.body).toMatchObject({ id: res.body.id, status: "completed", total: 253, imported: 250, invalid: 3 });
  });

  it("refuses NUL and unpaired surrogates in outcome feedback with a 400 naming the field", async () => {
    const trace = makeTrace();
    await post("/v1/traces", JSON.stringify({ traces: [trace] }));
    for (const bad of ['"bad\\u0000feedback"', '"lone \\ud800 surrogate"']) {
      const res = await post(`/v1/traces/${trace.id}/outcome`, `{"success": false, "feedback": ${bad}}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: "feedback", message: expect.any(String) }]);
    }
    expect((await getTrace(collector.t.db.pool, "default", trace.id)).outcome).toEqual(trace.outcome);
  });

  it("refuses %00, bad escapes and unstorable dates in path and query parameters with a 400", async () => {
    const cursorWithNul = Buffer.from(JSON.stringify({ s: "2026-01-01T00:00:00Z", i: "\u0000" })).toString("base64url");
    for (const [raw, path] of [
      ["/v1/traces/%00", "path"],
      ["/v1/traces?agent=%00", "query.agent"],
      ["/v1/traces?agent=%ED%A0%80", "query.agent"],
      ["/v1/traces?agent=%FF", "query.agent"],
      [`/v1/traces?cursor=${cursorWithNul}`, "cursor"],
      ["/v1/traces?since=0000-01-01T00:00:00Z", "since"],
      ["/v1/traces?since=0001-01-01T00:00:00%2B01:00", "since"],
      ["/v1/imports/%00", "path"],
    ] as const) {
      const res = await getRaw(raw);
      expect(res.status, raw).toBe(400);
      expect(res.body.error.details[0].path, raw).toBe(path);
    }
  });
});

describe("nothing changed silently", () => {
  const item = async (trace: unknown) => (await post("/v1/traces", JSON.stringify({ traces: [trace] }))).body.results[0];

  it("answers each unstorable value as an invalid item with its field path, never raw database or V8 text", async () => {
    const base = makeTrace();
    const cases: [string, string][] = [
      [JSON.stringify({ ...base, id: "nul-1", output: "a\u0000b" }), "traces[0].output"],
      [JSON.stringify({ ...base, id: "sur-1" }).replace('"Database connection pool exhausted"', '"\\ud800"'), "traces[0].output"],
      [JSON.stringify({ ...base, id: "deep-1" }).replace('"input":{', `"input":{"x":${"[".repeat(10_000)}${"]".repeat(10_000)},`), "traces[0].input.x"],
      [JSON.stringify({ ...base, id: "int-1", tokens: { prompt: 3_000_000_000, completion: 0 } }), "traces[0].tokens.prompt"],
      [JSON.stringify({ ...base, id: "year-0", startedAt: "0000-01-01T00:00:00Z" }), "traces[0].startedAt"],
      [JSON.stringify({ ...base, id: "inf-1" }).replace('"input":{', '"input":1e400,"x":{'), "traces[0].input"],
      [JSON.stringify({ ...base, id: "neg-1", endedAt: "2026-01-31T11:59:59.000Z" }), "traces[0].endedAt"],
    ];
    for (const [body, path] of cases) {
      const res = await post("/v1/traces", `{"traces":[${body}]}`);
      expect(res.status, path).toBe(207);
      const r = res.body.results[0];
      expect(r.status, path).toBe("invalid");
      expect(r.errors[0].path, body.slice(0, 60)).toMatch(new RegExp(`^${path.replace(/[[\].]/g, "\\$&")}`));
      expect(JSON.stringify(r.errors)).not.toMatch(/out of range for type|Maximum call stack|invalid byte sequence|unsupported Unicode/);
    }
    expect(await count("SELECT count(*) AS n FROM traces WHERE id = ANY($1)", [["nul-1", "sur-1", "deep-1", "int-1", "year-0", "inf-1", "neg-1"]])).toBe(0);
  });

  it("flags the later of two items with the same id instead of reporting both stored", async () => {
    const first = makeTrace({ id: "dup-1", output: "first" });
    const res = await post("/v1/traces", JSON.stringify({ traces: [first, { ...first, output: "second" }] }));
    expect(res.status).toBe(207);
    expect(res.body.results).toEqual([
      { index: 0, id: "dup-1", status: "created" },
      { index: 1, id: "dup-1", status: "invalid", errors: [{ path: "traces[1].id", message: expect.stringMatching(/repeats the id of traces\[0\]/) }] },
    ]);
    expect((await getTrace(collector.t.db.pool, "default", "dup-1")).output).toBe("first");
  });

  it("stores __proto__ and constructor keys as data, as sent", async () => {
    const raw = JSON.stringify(makeTrace({ id: "proto-1" })).replace('"metadata":{', '"metadata":{"__proto__":{"polluted":true},"constructor":"c",').replace('"input":{', '"input":{"__proto__":[1],');
    expect((await post("/v1/traces", `{"traces":[${raw}]}`)).body.results[0].status).toBe("created");
    const stored = await get("/v1/traces/proto-1");
    expect(Object.getOwnPropertyNames(stored.body.metadata)).toEqual(expect.arrayContaining(["__proto__", "constructor", "run"]));
    expect(JSON.parse(JSON.stringify(stored.body.metadata))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"constructor":"c","run":1}'));
    expect(Object.getOwnPropertyNames(stored.body.input)).toContain("__proto__");
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses a body that is not UTF-8 (it would be stored as U+FFFD) and a body that is not JSON with 415", async () => {
    const body = Buffer.concat([Buffer.from('{"traces":[{"id":"utf-'), Buffer.from([0xc3, 0x28]), Buffer.from(`","agent":"a","startedAt":"2026-01-01T00:00:00Z"}]}`)]);
    const bad = await post("/v1/traces", body);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_utf8");
    const text = await post("/v1/traces", JSON.stringify({ traces: [] }), "text/plain");
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe("unsupported_media_type");
  });

  it("names an empty root span's trace after service.name instead of rejecting it", async () => {
    const traceId = "c".repeat(32);
    const root = { ...span(traceId, "a".repeat(16)), name: "", attributes: [] };
    const res = await post("/otlp/v1/traces", otlp([root, { ...span(traceId, "b".repeat(16)), parentSpanId: "a".repeat(16) }], [{ key: "service.name", value: { stringValue: "checkout-agent" } }]));
    expect(res.body).toEqual({});
    expect((await getTrace(collector.t.db.pool, "default", traceId)).agent).toBe("checkout-agent");
  });

  it("records what an upload cut off midway stored, with its id sent before the body is read", async () => {
    const { hostname, port } = new URL(collector.server.url);
    const records = Array.from({ length: 450 }, (_, i) => `${JSON.stringify({ ...makeChatRecord(5000 + i), id: `cut-${i}` })}\n`);
    const hints: Record<string, unknown>[] = [];
    await new Promise<void>((resolve) => {
      const req = request({ host: hostname, port, method: "POST", path: "/v1/import?agent=cut", headers: { "content-type": "application/x-ndjson", "transfer-encoding": "chunked" } });
      req.on("information", (info) => hints.push(info.headers));
      req.on("error", () => resolve());
      req.on("response", (res) => res.resume().on("end", resolve));
      // 400 whole records and half of the next, then the connection goes away.
      req.write(records.slice(0, 400).join(""));
      req.write(records[400]!.slice(0, 50), () => setTimeout(() => req.destroy(), 300));
    });
    expect(hints[0]).toMatchObject({ "import-id": expect.any(String), link: expect.stringMatching(/^<\/v1\/imports\/[-0-9a-f]+>; rel="monitor"$/) });
    const id = hints[0]!["import-id"] as string;
    let record: any;
    for (let i = 0; i < 100 && record?.status !== "interrupted"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await get(`/v1/imports/${id}`)).body;
    }
    expect(record).toMatchObject({ id, status: "interrupted", total: 400, imported: 400, invalid: 0 });
    expect(await count("SELECT count(*) AS n FROM traces WHERE agent = 'cut'")).toBe(400);
    expect((await get("/v1/imports")).body.imports.map((r: any) => r.id)).toContain(id);
  });
});
