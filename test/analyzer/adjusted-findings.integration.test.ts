import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { insertTraces } from "../support/seed-traces.js";
import { generateFamilies, type FamilySpec } from "../support/task-families.js";
import { analyzeAgent, type AnalysisResult } from "../../src/analyzer/analyze-agent.js";
import { listStrata } from "../../src/analyzer/list-patterns.js";
import { LocalEmbedder } from "../../src/llm/local-embedder.js";
import { familyInputs, INTENT_FAMILIES } from "../support/intent-families.js";

const TENANT = "default";
const FILLER = ["search", "read_policy", "get_user", "list_items"];
// Advice that would make an agent skip or ration a step.
const SKIP_ADVICE = /\b(avoid|only when|limit|skip|do not call|don't call|call .* only)\b/i;

type Found = AnalysisResult["patterns"][number];
const adjusted = (p: Found) => p.stats["adjusted"] as { effect: number | null; pValue: number; explainedBy?: string; supportedStrata: number };
const actionable = (r: AnalysisResult) => r.patterns.filter((p) => p.actionable && p.change !== "vanished");
const mentions = (p: Found, tool: string) => ((p.stats["tools"] as string[] | undefined) ?? []).includes(tool);

describe("findings compare like with like", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("does not advise against a tool that only hard tasks use, and stores the crude effect that shows the confounding", async () => {
    const families: FamilySpec[] = [
      { task: "hard", count: 300, length: [6, 9], success: 0.3, tools: FILLER, uses: { think: 0.8 } },
      { task: "easy", count: 300, length: [3, 5], success: 0.9, tools: FILLER, uses: { think: 0.1 } },
    ];
    await insertTraces(t.db.pool, TENANT, generateFamilies(families, { seed: 3, agent: "confounded", idPrefix: "cf-" }));
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "confounded" });
    const think = result.patterns.find((p) => p.key === "tool_effectiveness:tool:think")!;
    expect(think.effect).toBeLessThan(-0.3); // crude: runs using think succeed far less...
    expect(Math.abs(think.adjustedEffect!)).toBeLessThan(0.1); // ...but not within a task
    expect(think.adjustedPValue!).toBeGreaterThan(0.05);
    expect(think.actionable).toBe(false);
    expect(think.description).toMatch(/crude −\d+ pts, within task and run length [−+]\d+ pts .*\(n\.s\.\): explained by task/);
    for (const p of actionable(result)) {
      if (mentions(p, "think")) expect(p.adjustedEffect! > 0 || p.evidenceKind === "direct").toBe(true);
      for (const r of p.recommendations) if (r.includes("think")) expect(r).not.toMatch(SKIP_ADVICE);
    }
    expect(result.patterns.every((p) => p.evidenceKind === "association" || p.key.startsWith("failure_pattern:tool_error:"))).toBe(true);
  });

  it("finds a tool that hurts inside every task family, with the adjusted effect near the planted one", async () => {
    const families: FamilySpec[] = [
      { task: "refund", count: 400, length: [4, 6], success: 0.85, tools: FILLER, uses: { legacy_api: 0.7 } },
      { task: "booking", count: 400, length: [5, 8], success: 0.6, tools: FILLER, uses: { legacy_api: 0.3 } },
      { task: "faq", count: 400, length: [2, 4], success: 0.75, tools: FILLER, uses: { legacy_api: 0.5 } },
    ];
    await insertTraces(t.db.pool, TENANT, generateFamilies(families, { seed: 5, agent: "harm", idPrefix: "hm-", effect: ({ tools }) => (tools.includes("legacy_api") ? -0.3 : 0) }));
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "harm" });
    const harm = result.patterns.find((p) => p.key === "tool_effectiveness:tool:legacy_api")!;
    expect(harm.actionable).toBe(true);
    expect(harm.adjustedEffect!).toBeGreaterThan(-0.38);
    expect(harm.adjustedEffect!).toBeLessThan(-0.22);
    expect(adjusted(harm).supportedStrata).toBeGreaterThanOrEqual(2);
    // An association, so the advice is how to use the tool, never to drop it.
    for (const r of harm.recommendations) expect(r).not.toMatch(SKIP_ADVICE);
    expect(harm.recommendations[0]).toMatch(/^When you call legacy_api, check its arguments/);
  });

  it("reports and uses the within-task sign when the crude one is reversed (Simpson's paradox)", async () => {
    const families: FamilySpec[] = [
      { task: "hard", count: 400, length: [5, 7], success: 0.2, tools: FILLER, uses: { checklist: 0.85 } },
      { task: "easy", count: 400, length: [5, 7], success: 0.7, tools: FILLER, uses: { checklist: 0.15 } },
    ];
    await insertTraces(t.db.pool, TENANT, generateFamilies(families, { seed: 7, agent: "simpson", idPrefix: "sp-", effect: ({ tools }) => (tools.includes("checklist") ? 0.2 : 0) }));
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "simpson" });
    const checklist = result.patterns.find((p) => p.key === "tool_effectiveness:tool:checklist")!;
    expect(checklist.effect).toBeLessThan(0);
    expect(checklist.adjustedEffect!).toBeGreaterThan(0.1);
    expect(checklist.actionable).toBe(true);
    expect(checklist.description).toMatch(/^Effective tool: checklist/);
    expect(checklist.recommendations[0]).toMatch(/^Prefer checklist when it applies/);
  });

  it("gives one actionable item for a failing tool, with why it fails, and attaches the sequences it implies", async () => {
    const families: FamilySpec[] = [
      { task: "change", count: 350, length: [4, 6], success: 0.8, tools: FILLER, uses: { book_reservation: 0.5 } },
      { task: "new", count: 350, length: [4, 6], success: 0.75, tools: FILLER, uses: { book_reservation: 0.5 } },
    ];
    const errorText = (_tool: string, r: () => number) =>
      r() < 0.6 ? `Error: payment method 'pm_${Math.floor(r() * 1e6)}' not found for user u-${Math.floor(r() * 1000)}` : `Seat ${1 + Math.floor(r() * 30)}${"ABCDEF"[Math.floor(r() * 6)]} unavailable on flight LH${100 + Math.floor(r() * 900)}`;
    const traces = generateFamilies(families, { seed: 11, agent: "failing", idPrefix: "fl-", errorRate: { book_reservation: 0.6 }, errorText, effect: ({ failed }) => (failed.has("book_reservation") ? -0.55 : 0) });
    await insertTraces(t.db.pool, TENANT, traces);
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "failing" });
    const point = result.patterns.find((p) => p.key === "failure_pattern:tool_error:book_reservation")!;
    expect(point.evidenceKind).toBe("direct");
    expect(point.actionable).toBe(true);
    // Failure reasons: the planted texts, counted.
    const failedCalls = traces.flatMap((x) => x.steps).filter((s) => s.name === "book_reservation" && !s.success);
    const payment = failedCalls.filter((s) => s.error!.includes("payment method")).length;
    const reasons = (point.stats["failureReasons"] as { reason: string; count: number; traceIds: string[] }[]).slice(0, 2);
    expect(reasons.map((r) => r.reason).sort()).toEqual(["payment method <v> not found for user <id>", "seat <id> unavailable on flight <id>"]);
    expect(reasons.find((r) => r.reason.startsWith("payment"))!.count).toBe(payment);
    expect(reasons.reduce((s, r) => s + r.count, 0)).toBe(failedCalls.length);
    expect(reasons[0]!.traceIds.length).toBeGreaterThan(0);
    expect(point.description).toContain(`'payment method <v> not found for user <id>' ${payment}/${failedCalls.length}`);
    expect(point.recommendations[0]).toContain("payment method <v> not found");
    // Everything else about book_reservation restates its failures.
    const aboutIt = actionable(result).filter((p) => mentions(p, "book_reservation"));
    expect(aboutIt.map((p) => p.key)).toEqual(["failure_pattern:tool_error:book_reservation"]);
    const implied = result.patterns.filter((p) => p.impliedBy === point.key);
    expect(implied.length).toBeGreaterThan(0);
    expect((point.stats["supporting"] as { key: string }[]).map((s) => s.key).sort()).toEqual(implied.map((p) => p.key).sort());
  });

  it("stores the task groups it compared within, with sizes", async () => {
    const strata = await listStrata(t.db, { tenant: TENANT, agent: "harm" });
    expect(strata.map((s) => [s.kind, s.label, s.size])).toEqual([
      ["task", "booking", 400],
      ["task", "faq", 400],
      ["task", "refund", 400],
    ]);
  });
});

describe("strata without task keys and on realistic data", () => {
  let t: TestDatabase;
  let embedder: LocalEmbedder;
  beforeAll(async () => {
    t = await createTestDatabase();
    embedder = new LocalEmbedder();
  });
  afterAll(async () => t.close());

  it("recovers the intents of three planted request families from their inputs and compares within them", async () => {
    const families: FamilySpec[] = INTENT_FAMILIES.map((family, i) => ({
      task: family,
      count: 120,
      length: [3 + i * 2, 5 + i * 2] as [number, number],
      success: [0.85, 0.5, 0.3][i]!,
      tools: FILLER,
      uses: { think: [0.1, 0.5, 0.9][i]! },
      inputs: familyInputs(family, 120, 40 + i),
    }));
    const traces = generateFamilies(families, { seed: 13, agent: "intents", idPrefix: "in-", withTaskKey: false });
    await insertTraces(t.db.pool, TENANT, traces);
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "intents", intents: { embedder } });
    const strata = await listStrata(t.db, { tenant: TENANT, agent: "intents" });
    expect(strata.map((s) => [s.kind, s.size])).toEqual([["intent", 120], ["intent", 120], ["intent", 120]]);
    // Each intent holds one family: its central inputs and its success rate say which.
    const familyOf = new Map(traces.map((x) => [x.id, INTENT_FAMILIES[Math.floor(Number(x.id.slice(3)) / 120)]!]));
    const found = strata.map((s) => new Set(s.examples.map((e) => familyOf.get(e.traceId))));
    expect(found.every((f) => f.size === 1)).toBe(true);
    expect(new Set(found.map((f) => [...f][0])).size).toBe(3);
    expect(strata.every((s) => s.label.length > 0 && s.examples.length === 3)).toBe(true);
    const think = result.patterns.find((p) => p.key === "tool_effectiveness:tool:think")!;
    expect(think.effect).toBeLessThan(-0.2);
    expect(think.actionable).toBe(false);
    expect(think.description).toContain("within intent and run length");
  }, 120_000);

  it("marks nothing actionable in confounded noise (task families differ, no planted effect) on at least 19 of 20 seeds", async () => {
    let withFindings = 0;
    for (let seed = 0; seed < 20; seed++) {
      const agent = `cnoise-${seed}`;
      const families: FamilySpec[] = [
        { task: "hard", count: 120, length: [5, 9], success: 0.3, tools: FILLER, uses: { think: 0.7, calculator: 0.6 } },
        { task: "easy", count: 120, length: [2, 5], success: 0.85, tools: FILLER, uses: { think: 0.2, calculator: 0.1 } },
      ];
      await insertTraces(t.db.pool, TENANT, generateFamilies(families, { seed: 2000 + seed, agent, idPrefix: `${agent}-` }));
      const result = await analyzeAgent(t.db, { tenant: TENANT, agent });
      if (actionable(result).length > 0) withFindings++;
    }
    expect(withFindings).toBeLessThanOrEqual(1);
  }, 240_000);

  it("lists only the planted causes as actionable on a realistic confounded set", async () => {
    // An airline agent: hard tasks call more tools (think, lookups, calculator) and fail more;
    // two real causes are planted inside every task: `pay` fails often (and a failed payment sinks
    // the run), and confirming the booking with `confirm_booking` helps.
    const tools = ["get_user", "search_flights", "read_policy", "list_bookings"];
    const families: FamilySpec[] = [
      { task: "change_flight", count: 260, length: [7, 11], success: 0.45, tools, uses: { think: 0.8, calculator: 0.6, pay: 0.7, confirm_booking: 0.5 } },
      { task: "book_flight", count: 260, length: [5, 8], success: 0.6, tools, uses: { think: 0.5, calculator: 0.3, pay: 0.8, confirm_booking: 0.5 } },
      { task: "cancel", count: 260, length: [3, 6], success: 0.75, tools, uses: { think: 0.3, calculator: 0.2, pay: 0.2, confirm_booking: 0.5 } },
      { task: "baggage_question", count: 260, length: [2, 4], success: 0.85, tools, uses: { think: 0.1, calculator: 0.05, pay: 0.05, confirm_booking: 0.1 } },
    ];
    const errorText = (_tool: string, r: () => number) => (r() < 0.7 ? `payment method 'pm_${Math.floor(r() * 1e5)}' not found` : `card declined: code 51`);
    await insertTraces(
      t.db.pool,
      TENANT,
      generateFamilies(families, {
        seed: 17,
        agent: "airline",
        idPrefix: "air-",
        errorRate: { pay: 0.35 },
        errorText,
        effect: ({ tools: used, failed }) => (failed.has("pay") ? -0.45 : 0) + (used.includes("confirm_booking") ? 0.15 : 0),
      }),
    );
    const result = await analyzeAgent(t.db, { tenant: TENANT, agent: "airline" });
    const keys = actionable(result).map((p) => p.key).sort();
    expect(keys).toEqual(["failure_pattern:tool_error:pay", "tool_effectiveness:tool:confirm_booking"]);
    // The hard tasks' tools were confounded, and the stored crude figures show it.
    const think = result.patterns.find((p) => p.key === "tool_effectiveness:tool:think")!;
    expect(think.effect).toBeLessThan(-0.1);
    expect(think.actionable).toBe(false);
  }, 120_000);
});
