import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { calls, generateTraces, insertTraces, setOutcomes } from "../support/seed-traces.js";
import { analyzeAgent } from "../../src/analyzer/analyze-agent.js";

const TENANT = "default";

describe("analyzeAgent", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("finds a planted 'A before B' success pattern with the right effect, high confidence and an ordered recommendation", async () => {
    const traces = generateTraces({
      count: 600,
      seed: 7,
      agent: "planted",
      idPrefix: "planted-",
      toolCallsPerTrace: 6,
      successProbability: (tr) => (calls(tr, "get_user_details", "book_reservation") ? 0.9 : 0.3),
    });
    await insertTraces(t.db.pool, TENANT, traces);
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "planted" });
    const planted = result.patterns.find((p) => p.key === "success_pattern:before:get_user_details>book_reservation");
    expect(planted).toBeDefined();
    const withPattern = traces.filter((tr) => calls(tr, "get_user_details", "book_reservation"));
    const rate = (xs: typeof traces) => xs.filter((x) => x.success).length / xs.length;
    const others = traces.filter((tr) => !calls(tr, "get_user_details", "book_reservation"));
    expect(planted!.support).toBe(withPattern.length);
    expect(planted!.effect).toBeCloseTo(rate(withPattern) - rate(others), 3);
    expect(planted!.effect).toBeGreaterThan(0.45);
    expect(planted!.baseline).toBeCloseTo(rate(others), 3);
    expect(planted!.confidence).toBeGreaterThan(0.99);
    expect(planted!.actionable).toBe(true);
    expect(planted!.recommendations[0]).toBe("Call get_user_details before book_reservation.");
    expect(planted!.evidence.success.length).toBeGreaterThan(0);
    expect(planted!.evidence.failure.length).toBeGreaterThan(0);
    const byId = new Map(traces.map((x) => [x.id, x]));
    for (const id of planted!.evidence.success) expect(byId.get(id)!.success).toBe(true);
    for (const id of [...planted!.evidence.success, ...planted!.evidence.failure]) expect(calls(byId.get(id)!, "get_user_details", "book_reservation")).toBe(true);
    // The strongest actionable success pattern is the planted one (or contains its order).
    const best = result.patterns.filter((p) => p.type === "success_pattern" && p.actionable).sort((a, b) => b.confidence - a.confidence || b.effect - a.effect);
    expect(best.length).toBeGreaterThan(0);
    expect(result.summary.byType.success_pattern).toBeGreaterThan(0);
  });

  it("reports a tool that errors 60% of the time as a failure point with its error rate", async () => {
    const traces = generateTraces({
      count: 500,
      seed: 11,
      agent: "flaky",
      idPrefix: "flaky-",
      toolCallsPerTrace: 5,
      toolErrorRate: { get_metrics: 0.6 },
      successProbability: (tr) => (tr.steps.some((s) => s.name === "get_metrics" && !s.success) ? 0.25 : 0.65),
    });
    await insertTraces(t.db.pool, TENANT, traces);
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "flaky" });
    const point = result.patterns.find((p) => p.key === "failure_pattern:tool_error:get_metrics");
    expect(point).toBeDefined();
    const metricsCalls = traces.flatMap((x) => x.steps).filter((s) => s.name === "get_metrics");
    const errorRate = metricsCalls.filter((s) => !s.success).length / metricsCalls.length;
    expect(errorRate).toBeGreaterThan(0.55);
    expect((point!.stats as { errorRate: number }).errorRate).toBeCloseTo(errorRate, 3);
    expect(point!.description).toContain(`get_metrics fails in ${Math.round(errorRate * 100)}% of its calls`);
    expect(point!.actionable).toBe(true);
    expect(point!.effect).toBeLessThan(0);
    expect(point!.recommendations.join(" ")).toContain("get_metrics");
    // No other tool is called a failure point.
    expect(result.patterns.filter((p) => p.type === "failure_pattern" && p.actionable && p.key.includes("tool_error")).map((p) => p.key)).toEqual(["failure_pattern:tool_error:get_metrics"]);
    const effectiveness = result.patterns.find((p) => p.key === "tool_effectiveness:tool:get_metrics")!;
    expect((effectiveness.stats as { errorRate: number }).errorRate).toBeCloseTo(errorRate, 3);
    expect((effectiveness.stats as { latencyP95Ms: number }).latencyP95Ms).toBeGreaterThan((effectiveness.stats as { latencyP50Ms: number }).latencyP50Ms);
  });

  it("marks nothing actionable in pure noise on at least 19 of 20 random seeds", async () => {
    const agents = Array.from({ length: 20 }, (_, seed) => `noise-${seed}`);
    await insertTraces(t.db.pool, TENANT, agents.flatMap((agent, seed) => generateTraces({ count: 240, seed: 1000 + seed, agent, idPrefix: `${agent}-`, toolCallsPerTrace: 6, thinkingRate: 0.3 })));
    let withFindings = 0;
    for (const agent of agents) {
      const result = await analyzeAgent(t.db, { tenant: TENANT, agent });
      if (result.patterns.some((p) => p.actionable)) withFindings++;
      expect(result.patterns.length).toBeGreaterThan(0);
    }
    expect(withFindings).toBeLessThanOrEqual(1);
  }, 180_000);

  it("keeps patterns observed but not actionable below min_traces_for_analysis", async () => {
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "planted", minTraces: 10_000, full: true });
    expect(result.patterns.length).toBeGreaterThan(0);
    expect(result.patterns.some((p) => p.actionable)).toBe(false);
    expect(result.patterns.find((p) => p.key === "success_pattern:before:get_user_details>book_reservation")!.confidence).toBeGreaterThan(0.99);
  });

  it("gives incremental runs, including later outcome updates, the same patterns as a full recompute", async () => {
    const all = generateTraces({ count: 900, seed: 21, agent: "incr", idPrefix: "incr-", toolCallsPerTrace: 6, toolErrorRate: { get_logs: 0.4 }, thinkingRate: 0.4, successProbability: (tr) => (calls(tr, "get_pods", "get_logs") ? 0.8 : 0.4) });
    const pending = all.slice(300, 400).map((x) => ({ id: x.id, success: x.success }));
    const firstBatch = all.slice(0, 400).map((x, i) => (i >= 300 ? { ...x, success: null } : x));
    await insertTraces(t.db.pool, TENANT, firstBatch);
    const first = await analyzeAgent(t.db, { tenant: TENANT, agent: "incr" });
    expect(first.mode).toBe("full");
    await insertTraces(t.db.pool, TENANT, all.slice(400, 700));
    await setOutcomes(t.db.pool, TENANT, pending);
    const second = await analyzeAgent(t.db, { tenant: TENANT, agent: "incr" });
    expect(second.mode).toBe("incremental");
    expect(second.tracesRead).toBe(400);
    await insertTraces(t.db.pool, TENANT, all.slice(700));
    const third = await analyzeAgent(t.db, { tenant: TENANT, agent: "incr" });
    expect(third.tracesRead).toBe(200);
    const full = await analyzeAgent(t.db, { tenant: TENANT, agent: "incr", full: true });
    expect(full.tracesRead).toBe(900);
    const comparable = (ps: typeof full.patterns) =>
      ps.filter((p) => p.change !== "vanished").map(({ id: _id, change: _change, ...rest }) => rest).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(comparable(third.patterns)).toEqual(comparable(full.patterns));
    expect(third.labelledTraces).toBe(900);
    expect(full.patterns.filter((p) => p.change !== "vanished").every((p) => p.change === "unchanged")).toBe(true);
  }, 120_000);
});
