import { describe, expect, it } from "vitest";
import { costOfCall, costOfTrace, priceOf, withCost, type PriceTable } from "./model-prices.js";

const table: PriceTable = {
  "gpt-4o": { input: 2.5, output: 10, cached_input: 1.25 },
  "gpt-4o*": { input: 5, output: 15 },
  "gpt-4o-mini*": { input: 0.15, output: 0.6 },
  "Qwen/*": { input: 0.1, output: 0.1 },
};
const base = { tokens: { prompt: 0, completion: 0 }, metadata: {} };

describe("model prices", () => {
  it("prices a model by its exact name first, then by the most specific pattern", () => {
    expect(priceOf(table, "gpt-4o")).toBe(table["gpt-4o"]);
    expect(priceOf(table, "GPT-4O")).toBe(table["gpt-4o"]);
    expect(priceOf(table, "gpt-4o-2024-08-06")).toBe(table["gpt-4o*"]);
    expect(priceOf(table, "gpt-4o-mini-2024-07-18")).toBe(table["gpt-4o-mini*"]);
    expect(priceOf(table, "Qwen/Qwen2.5-7B-Instruct")).toBe(table["Qwen/*"]);
    expect(priceOf(table, "llama-3")).toBeUndefined();
  });

  it("charges cached prompt tokens at the cached-input price, the rest at the input price", () => {
    expect(costOfCall(table, "gpt-4o", { prompt: 1_000_000, completion: 0, cached: 400_000 })).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25, 10);
    // Without a cached-input price, cached tokens cost the input price.
    expect(costOfCall(table, "gpt-4o-mini", { prompt: 1_000_000, completion: 1_000_000, cached: 500_000 })).toBeCloseTo(0.75, 10);
  });

  it("leaves the cost empty, never 0, when any call with tokens has no price or no tokens are known", () => {
    const steps = [
      { type: "llm_call" as const, model: "gpt-4o", tokens: { prompt: 100, completion: 10 } },
      { type: "llm_call" as const, model: "llama-3", tokens: { prompt: 100, completion: 10 } },
    ];
    expect(costOfTrace(table, { ...base, steps })).toBeUndefined();
    expect(costOfTrace(table, { ...base, steps: [] })).toBeUndefined();
    expect(costOfTrace({}, { ...base, steps: steps.slice(0, 1) })).toBeUndefined();
    expect(costOfTrace(table, { ...base, steps: steps.slice(0, 1) })).toBeCloseTo((100 * 2.5 + 10 * 10) / 1e6, 12);
  });

  it("keeps a cost the sender gave, and prices a cache hit at 0", () => {
    const trace = { ...base, steps: [{ type: "llm_call" as const, model: "gpt-4o", tokens: { prompt: 100, completion: 10 } }], costUsd: 1 };
    expect(withCost(table, trace).costUsd).toBe(1);
    expect(withCost(table, { ...base, steps: [], metadata: { cacheHit: true }, costUsd: undefined as number | undefined }).costUsd).toBe(0);
    expect(withCost(undefined, { ...base, steps: [], metadata: { cacheHit: true }, costUsd: undefined as number | undefined }).costUsd).toBeUndefined();
  });
});
