// Property-based tests of the OpenAI chat-log importer through POST /v1/import against a real
// server and database: random and mutated logs never get a 500, the summary accounts for every
// record, and each record is stored whole (all its steps) or not at all.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { useCollectorServer } from "../support/collector-server.js";
import { makeChatRecord } from "../support/chat-log-builder.js";
import { applyMutations, mutationsArb } from "../support/mutate.js";
import { chatLogToTrace } from "../../src/collector/importers/chat-log-to-trace.js";
import { validateTrace } from "../../src/collector/ingest/ingest-traces.js";

type Summary = { total: number; imported: number; updated: number; skipped: number; invalid: number };

describe("chat-log importer under fuzzing", () => {
  const collector = useCollectorServer();
  let run = 0;

  const importBody = async (body: string, agent: string) => {
    const res = await fetch(`${collector.server.url}/v1/import?agent=${agent}`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    return { status: res.status, json: (await res.json()) as Summary & { error?: { code: string } } };
  };

  it("answers arbitrary text with a summary or a 400, never 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }).map((vs) => vs.map((v) => JSON.stringify(v)).join("\n"))), async (body) => {
        const { status, json } = await importBody(body, `fzraw${run++}`);
        expect([200, 400]).toContain(status);
        if (status === 200) expect(json.imported + json.updated + json.skipped + json.invalid).toBe(json.total);
      }),
      { numRuns: 300 },
    );
  });

  it("imports each record of a mutated log whole or not at all", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), mutationsArb(4)), { minLength: 1, maxLength: 5 }), async (plan) => {
        const prefix = `fzi${run++}`;
        const agent = `fuzz-${prefix}`;
        const records = plan.map(([mutate, mutations], i) => {
          const base = { ...makeChatRecord(i, { failLogs: i % 2 === 0 }), id: `${prefix}-${i}` };
          return mutate ? applyMutations(base, mutations) : base;
        });
        const { status, json } = await importBody(records.map((r) => JSON.stringify(r)).join("\n"), agent);
        expect(status).toBe(200);
        expect(json.total).toBe(records.length);
        expect(json.imported + json.updated + json.skipped + json.invalid).toBe(json.total);

        // What the importer must have stored: the chat records that map to a valid trace.
        const expected = new Map<string, number[]>();
        for (const r of records) {
          const mapped = chatLogToTrace(r, { agent });
          if (!mapped.ok) continue;
          const checked = validateTrace(mapped.trace, "");
          if (checked.ok) expected.set(checked.trace.id, [...(expected.get(checked.trace.id) ?? []), checked.trace.steps.length]);
        }
        const stored = await collector.t.db.pool.query<{ id: string; steps: number }>(
          "SELECT t.id, (SELECT count(*)::int FROM trace_steps s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id) AS steps FROM traces t WHERE t.tenant_id = 'default' AND t.id LIKE $1",
          [`import-${prefix}-%`],
        );
        const inDb = new Map(stored.rows.map((r) => [r.id, r.steps]));
        for (const [id, counts] of expected) if (id.startsWith(`import-${prefix}-`)) expect(counts, `steps of ${id}`).toContain(inDb.get(id));
        for (const id of inDb.keys()) expect(expected.has(id), `stored but invalid: ${id}`).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect((await fetch(`${collector.server.url}/readyz`)).status).toBe(200);
  });
});
