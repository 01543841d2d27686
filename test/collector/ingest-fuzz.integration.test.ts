// Property-based tests of POST /v1/traces against a real server and database: random bodies and
// mutated batches never get a 500, the server never crashes, and no trace is ever half-written —
// what the response says was stored is in the database with all its steps, and what it says
// was rejected is not.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { useCollectorServer } from "../support/collector-server.js";
import { makeTrace } from "../support/trace-builder.js";
import { applyMutations, mutationsArb } from "../support/mutate.js";

type ItemResult = { index: number; id?: string; status: string };

describe("ingest API under fuzzing", () => {
  const collector = useCollectorServer();
  let run = 0;

  const post = async (body: string) => {
    const res = await fetch(`${collector.server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as { results?: ItemResult[]; error?: { code: string } } };
  };

  it("answers arbitrary JSON bodies and broken JSON text with 4xx or per-item results, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: "binary", maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify({ traces: [v] }))), async (body) => {
        const { status, json } = await post(body);
        expect([200, 207, 400, 413]).toContain(status);
        if (status >= 400) expect(typeof json.error?.code).toBe("string");
      }),
      { numRuns: 400 },
    );
  });

  it("stores every accepted trace of a mutated batch whole and nothing of a rejected one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), mutationsArb()), { minLength: 1, maxLength: 6 }), async (plan) => {
        const prefix = `fz${run++}-`;
        const traces = plan.map(([mutate, mutations], i) => {
          const base = makeTrace({ id: `${prefix}${i}` });
          return mutate ? applyMutations(base, mutations) : base;
        });
        const { status, json } = await post(JSON.stringify({ traces }));
        expect([200, 207, 400]).toContain(status);
        if (status === 400) return; // a mutation replaced the envelope itself
        const results = json.results!;
        expect(results.map((r) => r.index)).toEqual(traces.map((_, i) => i));

        const stored = await collector.t.db.pool.query<{ id: string; steps: number }>(
          "SELECT t.id, (SELECT count(*)::int FROM trace_steps s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id) AS steps FROM traces t WHERE t.tenant_id = 'default' AND t.id LIKE $1",
          [`${prefix}%`],
        );
        const inDb = new Map(stored.rows.map((r) => [r.id, r.steps]));
        // The last accepted item with an id is what the database must hold for it.
        const expected = new Map<string, number>();
        results.forEach((r, i) => {
          if (r.status === "created" || r.status === "updated" || r.status === "unchanged") expected.set(r.id!, ((traces[i] as { steps: unknown[] }).steps ?? []).length);
        });
        for (const [id, steps] of expected) if (id.startsWith(prefix)) expect(inDb.get(id), `trace ${id}`).toBe(steps);
        for (const id of inDb.keys()) expect(expected.has(id), `stored but not acknowledged: ${id}`).toBe(true);
      }),
      { numRuns: 250 },
    );
    // The server survived all of it.
    expect((await fetch(`${collector.server.url}/readyz`)).status).toBe(200);
  });
});
