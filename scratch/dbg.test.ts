import { it } from "vitest";
import { createTestDatabase } from "../test/support/database.js";
import { insertTraces } from "../test/support/seed-traces.js";
import { generateFamilies, type FamilySpec } from "../test/support/task-families.js";
import { analyzeAgent } from "../src/analyzer/analyze-agent.js";
const FILLER = ["search", "read_policy", "get_user", "list_items"];
it("dbg", async () => {
  const t = await createTestDatabase();
  const families: FamilySpec[] = [
    { task: "change", count: 350, length: [4, 6], success: 0.8, tools: FILLER, uses: { book_reservation: 0.9 } },
    { task: "new", count: 350, length: [4, 6], success: 0.75, tools: FILLER, uses: { book_reservation: 0.9 } },
  ];
  const errorText = (_tool: string, r: () => number) => (r() < 0.6 ? `payment` : `seat`);
  const traces = generateFamilies(families, { seed: 11, agent: "failing", idPrefix: "fl-", errorRate: { book_reservation: 0.45 }, errorText, effect: ({ failed }) => (failed.has("book_reservation") ? -0.55 : 0) });
  await insertTraces(t.db.pool, "default", traces);
  const result = await analyzeAgent(t.db, { tenant: "default", agent: "failing" });
  for (const p of result.patterns.filter((p) => (p.stats.tools as string[]).includes("book_reservation"))) console.log(p.key, p.actionable, p.effect, p.adjustedEffect, p.adjustedPValue, p.confidence, p.impliedBy, JSON.stringify((p.stats.adjusted as any).supportedStrata), (p.stats.adjusted as any).contradictingStrata);
  await t.close();
}, 120000);
