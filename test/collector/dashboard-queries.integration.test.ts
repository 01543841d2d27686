// The collector's reads behind the dashboard: the filter values of a tenant's traces (skip scans
// over indexes, recent task keys) and its daily traffic aggregated in the database, each seeing
// only the tenant it is asked for.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { listTraceFacets } from "../../src/collector/query/list-trace-facets.js";
import { summarizeDailyTraffic } from "../../src/collector/query/summarize-daily-traffic.js";

const DAY = 86_400_000;

describe("dashboard queries over traces", () => {
  let t: TestDatabase;
  const today = Math.floor(Date.now() / DAY) * DAY;

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.pool.query("INSERT INTO tenants (id, name) VALUES ('acme', 'acme'), ('globex', 'globex') ON CONFLICT DO NOTHING");
    const rows: [string, string, string, string | null, string | null, string | null, boolean | null, number, number | null][] = [];
    // acme: two agents; diagnosis with two versions; tasks; outcomes and costs over three days.
    for (let i = 0; i < 30; i++) {
      const day = i % 3; // days ago
      rows.push(["acme", `a${i}`, i % 5 === 0 ? "triage" : "diagnosis", i % 5 === 0 ? null : "diagnosis", i % 5 === 0 ? null : i < 15 ? "1.0.0" : "1.0.1", i % 2 === 0 ? "disk" : "dns", i % 4 === 0 ? false : i % 7 === 0 ? null : true, today - day * DAY + 3_600_000 + i * 1000, 0.01]);
    }
    rows.push(["acme", "old", "archivist", null, null, "ancient-task", true, today - 40 * DAY, 1]);
    rows.push(["globex", "g1", "billing-bot", "billing", "9.9.9", "secret-task", true, today + 3_600_000, 5]);
    for (const [tenant, id, agent, signature, version, task, success, at, cost] of rows) {
      await t.db.pool.query(
        `INSERT INTO traces (tenant_id, id, agent, signature, prompt_version, task, success, started_at, cost_usd, prompt_tokens, completion_tokens, content_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 100, 20, $2)`,
        [tenant, id, agent, signature, version, task, success, new Date(at), cost],
      );
    }
  });
  afterAll(async () => t?.close());

  it("lists every agent and signature@version of the tenant, and the task keys of its newest traces", async () => {
    const facets = await listTraceFacets(t.db.forTenant("acme").pool, "acme");
    expect(facets.agents).toEqual(["archivist", "diagnosis", "triage"]);
    expect(facets.versions).toEqual([
      { signature: "diagnosis", version: "1.0.0" },
      { signature: "diagnosis", version: "1.0.1" },
    ]);
    expect(new Set(facets.tasks)).toEqual(new Set(["disk", "dns", "ancient-task"]));
    // Task keys come from the newest traces only: the 40-day-old one falls outside the 30 newest.
    expect((await listTraceFacets(t.db.forTenant("acme").pool, "acme", { recentTraces: 30 })).tasks.sort()).toEqual(["disk", "dns"]);
    expect((await listTraceFacets(t.db.forTenant("acme").pool, "acme", { limit: 2 })).agents).toEqual(["archivist", "diagnosis"]);
    const globex = await listTraceFacets(t.db.forTenant("globex").pool, "globex");
    expect(globex).toEqual({ agents: ["billing-bot"], versions: [{ signature: "billing", version: "9.9.9" }], tasks: ["secret-task"] });
  });

  it("aggregates runs, outcomes, successes and cost per agent, signature and UTC day of the window", async () => {
    const rows = await summarizeDailyTraffic(t.db.forTenant("acme").pool, "acme", { days: 30 });
    expect(rows.every((r) => r.agent !== "archivist" && r.agent !== "billing-bot")).toBe(true);
    const diagnosis = rows.filter((r) => r.agent === "diagnosis");
    expect(diagnosis.map((r) => r.day)).toEqual([2, 1, 0].map((d) => new Date(today - d * DAY).toISOString().slice(0, 10)));
    expect(diagnosis.reduce((a, r) => a + r.runs, 0)).toBe(24);
    const expected = { labelled: 0, successes: 0 };
    for (let i = 0; i < 30; i++) {
      if (i % 5 === 0) continue;
      const success = i % 4 === 0 ? false : i % 7 === 0 ? null : true;
      if (success !== null) expected.labelled++;
      if (success) expected.successes++;
    }
    expect(diagnosis.reduce((a, r) => a + r.labelled, 0)).toBe(expected.labelled);
    expect(diagnosis.reduce((a, r) => a + r.successes, 0)).toBe(expected.successes);
    expect(diagnosis.reduce((a, r) => a + r.costUsd, 0)).toBeCloseTo(0.24, 10);
    expect(diagnosis[0]!.tokens).toBe(diagnosis[0]!.runs * 120);
    const triage = rows.filter((r) => r.agent === "triage");
    expect(triage.every((r) => r.signature === null)).toBe(true);
    // The busiest groups only; a longer window reaches the old trace.
    expect(new Set((await summarizeDailyTraffic(t.db.forTenant("acme").pool, "acme", { days: 30, maxGroups: 1 })).map((r) => r.agent))).toEqual(new Set(["diagnosis"]));
    expect((await summarizeDailyTraffic(t.db.forTenant("acme").pool, "acme", { days: 90 })).some((r) => r.agent === "archivist")).toBe(true);
  });
});
