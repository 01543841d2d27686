import { describe, expect, it } from "vitest";
import { useCollectorServer } from "../support/collector-server.js";
import { makeTrace } from "../support/trace-builder.js";

const collector = useCollectorServer({ META_AGENT_INGEST_MAX_TRACES: "50", META_AGENT_INGEST_MAX_BODY_BYTES: "200000", MAX_TOOL_RESPONSE_CHARS: "100" });

const post = async (path: string, body: unknown, raw = false) => {
  const res = await fetch(collector.server.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: raw ? (body as string) : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const get = async (path: string) => {
  const res = await fetch(collector.server.url + path);
  return { status: res.status, body: (await res.json()) as any };
};
const count = async (sql: string, params: unknown[] = []) => Number((await collector.t.db.pool.query(sql, params)).rows[0].n);

describe("POST /v1/traces", () => {
  it("stores a valid batch with every step and answers 200 with one result per trace", async () => {
    const a = makeTrace();
    const b = makeTrace({ agent: "mitigation" });
    const res = await post("/v1/traces", { traces: [a, b] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { index: 0, id: a.id, status: "created" },
      { index: 1, id: b.id, status: "created" },
    ]);
    expect(await count("SELECT count(*) AS n FROM trace_steps WHERE trace_id = $1", [a.id])).toBe(4);
    const stored = await get(`/v1/traces/${a.id}`);
    expect(stored.body).toMatchObject({ ...a, tenant: "default", durationMs: 5000 });
    expect(stored.body.steps).toEqual(a.steps);
  });

  it("answers a mixed batch with 207, exact per-item results with JSON paths, and writes nothing of invalid traces", async () => {
    const good = makeTrace();
    const badStep = makeTrace({ steps: [{ type: "tool_call", name: "get_pods", arguments: {}, success: "yes" as unknown as boolean }] });
    const noAgent = { ...makeTrace(), agent: undefined };
    const res = await post("/v1/traces", { traces: [good, badStep, noAgent, 42] });
    expect(res.status).toBe(207);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toBe(3);
    expect(res.body.results[0]).toEqual({ index: 0, id: good.id, status: "created" });
    expect(res.body.results[1]).toMatchObject({ index: 1, id: badStep.id, status: "invalid", errors: [{ path: "traces[1].steps[0].success" }] });
    expect(res.body.results[2]).toMatchObject({ index: 2, status: "invalid", errors: [{ path: "traces[2].agent" }] });
    expect(res.body.results[3]).toMatchObject({ index: 3, status: "invalid", errors: [{ path: "traces[3]" }] });
    expect(await count("SELECT count(*) AS n FROM traces WHERE id = ANY($1)", [[badStep.id, noAgent.id]])).toBe(0);
    expect(await count("SELECT count(*) AS n FROM trace_steps WHERE trace_id = ANY($1)", [[badStep.id, noAgent.id]])).toBe(0);
  });

  it("rejects a malformed body with 400 and an oversized one with 413", async () => {
    expect((await post("/v1/traces", "{not json", true)).status).toBe(400);
    const noArray = await post("/v1/traces", { trace: [] });
    expect(noArray.status).toBe(400);
    expect(noArray.body.error.details[0].path).toBe("traces");
    const tooMany = await post("/v1/traces", { traces: Array.from({ length: 51 }, () => makeTrace()) });
    expect(tooMany.status).toBe(413);
    const tooBig = await post("/v1/traces", { traces: [makeTrace({ metadata: { blob: "x".repeat(300_000) } })] });
    expect(tooBig.status).toBe(413);
  });

  it("treats a re-sent trace as a no-op and a changed one as an update with a new seq", async () => {
    const trace = makeTrace();
    await post("/v1/traces", { traces: [trace] });
    const seq1 = (await get(`/v1/traces/${trace.id}`)).body.seq;
    const again = await post("/v1/traces", { traces: [trace] });
    expect(again.body.results[0].status).toBe("unchanged");
    expect((await get(`/v1/traces/${trace.id}`)).body.seq).toBe(seq1);
    const changed = { ...trace, outcome: { success: false }, steps: trace.steps!.slice(0, 2) };
    const upd = await post("/v1/traces", { traces: [changed] });
    expect(upd.body.results[0].status).toBe("updated");
    const after = (await get(`/v1/traces/${trace.id}`)).body;
    expect(BigInt(after.seq)).toBeGreaterThan(BigInt(seq1));
    expect(after.steps).toHaveLength(2);
    expect(after.outcome).toEqual({ success: false });
    expect(await count("SELECT count(*) AS n FROM traces WHERE id = $1", [trace.id])).toBe(1);
  });

  it("truncates long tool responses to max_tool_response_chars", async () => {
    const trace = makeTrace({ steps: [{ type: "tool_call", name: "get_logs", arguments: {}, success: true, response: "y".repeat(500) }] });
    await post("/v1/traces", { traces: [trace] });
    const stored = (await get(`/v1/traces/${trace.id}`)).body;
    expect(stored.steps[0].response).toMatch(/^y{100}…\[truncated, 500 chars\]$/);
    expect((await post("/v1/traces", { traces: [trace] })).body.results[0].status).toBe("unchanged");
  });
});

describe("GET /v1/traces", () => {
  it("filters by agent, success, time and signature, and pages with a cursor", async () => {
    const traces = Array.from({ length: 7 }, (_, i) =>
      makeTrace({ agent: "pager", signature: "pager_sig", promptVersion: "1.0.0", startedAt: `2026-03-01T00:00:0${i}.000Z`, endedAt: undefined, outcome: { success: i % 2 === 0 } }),
    );
    await post("/v1/traces", { traces });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await get(`/v1/traces?agent=pager&limit=3${cursor ? `&cursor=${cursor}` : ""}`)).body;
      seen.push(...page.traces.map((x: any) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...traces].reverse().map((x) => x.id));
    const ok = (await get("/v1/traces?agent=pager&success=true")).body.traces;
    expect(ok).toHaveLength(4);
    const window = (await get("/v1/traces?agent=pager&since=2026-03-01T00:00:02Z&until=2026-03-01T00:00:04Z")).body.traces;
    expect(window.map((x: any) => x.id)).toEqual([traces[3]!.id, traces[2]!.id]);
    expect((await get("/v1/traces?signature=pager_sig&promptVersion=1.0.0")).body.traces).toHaveLength(7);
    expect((await get("/v1/traces?success=maybe")).status).toBe(400);
    expect((await get("/v1/traces/nope")).status).toBe(404);
  });
});

describe("POST /v1/traces/:id/outcome", () => {
  it("sets the outcome later and bumps seq", async () => {
    const trace = makeTrace({ outcome: undefined });
    await post("/v1/traces", { traces: [trace] });
    const before = (await get(`/v1/traces/${trace.id}`)).body;
    const res = await post(`/v1/traces/${trace.id}/outcome`, { success: false, score: 0.1, feedback: "customer reopened the ticket" });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toEqual({ success: false, score: 0.1, feedback: "customer reopened the ticket" });
    expect(BigInt(res.body.seq)).toBeGreaterThan(BigInt(before.seq));
    expect(res.body.steps).toEqual(before.steps);
    const bad = await post(`/v1/traces/${trace.id}/outcome`, { success: "no" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("success");
  });
});
