// The evaluation harness on the simulator: planted accuracies per version come back inside their
// intervals, the paired difference is found, reports repeat exactly with the same seed, JSONL
// files and the held-out split of stored traces are datasets, and the report is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { startSimulator, type Simulator } from "../../src/simulator/index.js";
import { createChatModel } from "../../src/llm/create-chat-model.js";
import { loadConfig } from "../../src/config/index.js";
import { createInMemoryPromptStore } from "../../src/registry/prompt-store.js";
import { baselineVersion } from "../../src/domain/baseline-version.js";
import { parseSignature } from "../../src/domain/signature.js";
import { evaluateSignature, type EvaluateSignatureDeps } from "../../src/compiler/eval/evaluate-signature.js";
import type { EvalReport } from "../../src/compiler/eval/run-eval.js";
import { isHeldOut } from "../../src/compiler/split-examples.js";
import { ingestTraces } from "../../src/collector/ingest/ingest-traces.js";
import { ensureTenant } from "../../src/tenancy/ensure-tenant.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { makeTempDir } from "../support/temp-dir.js";

const SOURCE = `name: ticket_routing
description: Routes a support ticket to a queue.
inputs:
  - name: ticketText
    description: The customer's message.
outputs:
  - name: queue
    description: Queue that handles it.
instructions: Route the ticket.
metric:
  name: exact_match
  field: queue
`;

// Baseline answers 30 % of tickets right; a version whose guideline mentions invoices, 80 %.
const BANK = {
  families: [{ id: "tickets", match: { keywords: ["ticket #"] }, answer: { queue: "billing" }, wrongAnswer: { queue: "technical" }, baseAccuracy: 0.3, accuracyWhen: [{ phrase: "look for invoice words", accuracy: 0.8 }] }],
};

const ITEMS = 300;
const items = Array.from({ length: ITEMS }, (_, i) => ({ id: `t${i}`, input: { ticketText: `ticket #${i}: my card was charged twice for order ${i * 7}` }, expected: { queue: "billing" } }));

let sim: Simulator;
let tmp: ReturnType<typeof makeTempDir>;
let deps: EvaluateSignatureDeps;
let tdb: TestDatabase;

beforeAll(async () => {
  sim = await startSimulator({ bank: BANK });
  tmp = makeTempDir("meta-agent-eval-");
  mkdirSync(path.join(tmp.dir, "prompts"));
  writeFileSync(path.join(tmp.dir, "prompts", "ticket_routing.yaml"), SOURCE);
  tdb = await createTestDatabase();
  await ensureTenant(tdb.db, "acme");
  const store = createInMemoryPromptStore();
  const baseline = baselineVersion(parseSignature(SOURCE));
  await store.save("acme", baseline, { summary: "baseline" });
  // Not served (saved with another version after it), same answers as the baseline, longer prompt.
  await store.save("acme", { ...baseline, version: "1.0.1", parent: "1.0.0", guidelines: [{ text: "Be courteous, and restate the customer's problem in your own words before choosing a queue." }] }, { summary: "longer" });
  await store.save("acme", { ...baseline, version: "1.1.0", parent: "1.0.0", guidelines: [{ text: "Look for invoice words before routing." }] }, { summary: "better" });
  const config = loadConfig({ env: { LLM_BASE_URL: sim.baseURL, LLM_MODEL: "sim-chat", LLM_MAX_RETRIES: "0", PRICE_PER_MILLION_PROMPT_TOKENS: "2", PRICE_PER_MILLION_COMPLETION_TOKENS: "6" }, cwd: tmp.dir });
  deps = {
    db: tdb.db,
    store,
    model: createChatModel(config),
    promptsDir: path.join(tmp.dir, "prompts"),
    holdoutFraction: 0.25,
    settings: { objective: { objective: "quality", tokenPenalty: 0.05 }, prices: { prompt: 2, completion: 6 } },
  };
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await tdb?.close();
  tmp?.remove();
});

const stable = (r: EvalReport) => ({ ...r, startedAt: "", finishedAt: "", versions: r.versions.map((v) => ({ ...v, latencyMs: null })), items: r.items.map((i) => ({ ...i, results: Object.fromEntries(Object.entries(i.results).map(([k, x]) => [k, { ...x, latencyMs: 0 }])) })) });

describe("meta-agent eval (the harness) on the simulator", () => {
  let first: EvalReport;

  it("reports each version's planted accuracy inside its 95% interval, and the paired gain", async () => {
    const file = path.join(tmp.dir, "tickets.jsonl");
    writeFileSync(file, items.map((i) => JSON.stringify(i)).join("\n") + "\n");
    const out = path.join(tmp.dir, "reports", "eval.json");
    const progress: number[] = [];
    first = await evaluateSignature(deps, { tenant: "acme", name: "ticket_routing", versions: ["baseline", "1.1.0"], dataset: { file }, seed: 7, concurrency: 6, out, onProgress: (d) => progress.push(d) });
    const [baseline, compiled] = first.versions;
    expect(baseline!.items).toBe(ITEMS);
    expect(baseline!.quality.ci[0]).toBeLessThanOrEqual(0.3);
    expect(baseline!.quality.ci[1]).toBeGreaterThanOrEqual(0.3);
    expect(compiled!.quality.ci[0]).toBeLessThanOrEqual(0.8);
    expect(compiled!.quality.ci[1]).toBeGreaterThanOrEqual(0.8);
    const diff = first.comparisons[0]!;
    expect(diff.quality.ci[0]).toBeGreaterThan(0);
    expect(diff.quality.ci[0]).toBeLessThanOrEqual(0.5);
    expect(diff.quality.ci[1]).toBeGreaterThanOrEqual(0.5);
    expect(diff.verdict).toMatch(/^1\.1\.0 is better than baseline/);
    // Tokens and cost per item side by side; the guideline makes every call longer.
    expect(compiled!.tokensPerItem.total).toBeGreaterThan(baseline!.tokensPerItem.total);
    expect(baseline!.costPerItem).toBeCloseTo((baseline!.tokensPerItem.prompt * 2 + baseline!.tokensPerItem.completion * 6) / 1e6, 6);
    expect(progress.at(-1)).toBe(2 * ITEMS);
    expect(JSON.parse(readFileSync(out, "utf8")).comparisons[0].quality).toEqual(diff.quality);
  }, 120_000);

  it("gives the same report again with the same seed", async () => {
    const again = await evaluateSignature(deps, { tenant: "acme", name: "ticket_routing", versions: ["baseline", "1.1.0"], dataset: { items }, seed: 7, concurrency: 2 });
    expect(stable({ ...again, dataset: first.dataset, concurrency: first.concurrency })).toEqual(stable(first));
  }, 120_000);

  it("prefers the cheaper of two versions the interval cannot tell apart", async () => {
    const same = await evaluateSignature(deps, { tenant: "acme", name: "ticket_routing", versions: ["baseline", "1.0.1"], dataset: { items: items.slice(0, 60) }, seed: 1 });
    expect(same.comparisons[0]!.quality.meanDiff).toBe(0);
    expect(same.comparisons[0]!.tokensPerItemDiff).toBeGreaterThan(0);
    expect(same.comparisons[0]!.verdict).toMatch(/no difference shown between 1\.0\.1 and baseline .*; baseline is cheaper by \d+ tokens per item and is preferred/);
  }, 120_000);

  it("draws a dataset from the held-out split of stored traces only", async () => {
    const traces = items.map((i) => ({
      id: randomUUID(),
      agent: "ticket_routing",
      signature: "ticket_routing",
      input: i.input,
      output: i.expected,
      outcome: { success: true },
      startedAt: new Date().toISOString(),
    }));
    await ingestTraces(tdb.db.forTenant("acme").pool, "acme", traces);
    const report = await evaluateSignature(deps, { tenant: "acme", name: "ticket_routing", versions: ["baseline"], dataset: { fromTraces: true } });
    const heldOut = traces.filter((t) => isHeldOut(t.id, 0.25));
    expect(report.dataset).toEqual({ source: "traces:held-out", items: heldOut.length });
    expect(new Set(report.items.map((i) => i.id))).toEqual(new Set(heldOut.map((t) => t.id)));
    expect(heldOut.length).toBeGreaterThan(40);
    expect(heldOut.length).toBeLessThan(110);
    await expect(evaluateSignature({ ...deps, holdoutFraction: 0 }, { tenant: "acme", name: "ticket_routing", dataset: { fromTraces: true } })).rejects.toThrow(/eval_holdout_fraction/);
  }, 120_000);

  it("rejects a dataset line that does not fit the signature, naming the line", async () => {
    const file = path.join(tmp.dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify(items[0])}\n\n${JSON.stringify({ input: { wrong: 1 }, expected: { queue: "x" } })}\n`);
    await expect(evaluateSignature(deps, { tenant: "acme", name: "ticket_routing", dataset: { file } })).rejects.toThrow(/line 3/);
  });
});
