// startedAt is optional on ingest, as in the common tracing tools: a trace without one starts when
// it was received; the answer says which time was used, and re-sending it later changes nothing.
import { describe, it, expect } from "vitest";
import { useCollectorServer } from "../support/collector-server.js";

type Item = { index: number; id?: string; status: string; startedAt?: string; startedAtDefaulted?: boolean };

describe("POST /v1/traces without startedAt", () => {
  const fx = useCollectorServer();
  const post = async (traces: unknown[]) => {
    const res = await fetch(`${fx.server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces }) });
    return { status: res.status, body: (await res.json()) as { results: Item[] } };
  };
  const get = async (id: string) => (await (await fetch(`${fx.server.url}/v1/traces/${id}`)).json()) as { startedAt: string; metadata: Record<string, unknown> };

  it("stores the trace with the time it was received and says so", async () => {
    const before = Date.now();
    const res = await post([{ id: "no-start", agent: "diagnosis", input: { q: "x" }, outcome: { success: true } }]);
    const after = Date.now();
    expect(res.status).toBe(200);
    const item = res.body.results[0]!;
    expect(item).toMatchObject({ id: "no-start", status: "created", startedAtDefaulted: true });
    expect(Date.parse(item.startedAt!)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(item.startedAt!)).toBeLessThanOrEqual(after + 1);
    const stored = await get("no-start");
    expect(stored.startedAt).toBe(item.startedAt);
    expect(stored.metadata).toMatchObject({ startedAtDefaulted: true });
  });

  it("keeps the first time when the same trace is sent again", async () => {
    const trace = { id: "resent", agent: "diagnosis", outcome: { success: false } };
    const first = await post([trace]);
    await new Promise((r) => setTimeout(r, 20)); // a later receive time
    const again = await post([trace]);
    expect(again.body.results[0]!.status).toBe("unchanged");
    expect((await get("resent")).startedAt).toBe(first.body.results[0]!.startedAt);
  });

  it("uses an earlier endedAt as the start, and leaves a given startedAt alone", async () => {
    const res = await post([
      { id: "ended", agent: "diagnosis", endedAt: "2026-01-02T03:04:05.000Z" },
      { id: "given", agent: "diagnosis", startedAt: "2026-01-01T00:00:00.000Z" },
    ]);
    expect(res.body.results[0]).toMatchObject({ status: "created", startedAt: "2026-01-02T03:04:05.000Z", startedAtDefaulted: true });
    expect(res.body.results[1]).toEqual({ index: 1, id: "given", status: "created" });
    expect((await get("given")).metadata).not.toHaveProperty("startedAtDefaulted");
  });
});
