import { describe, expect, it } from "vitest";
import { createTokenBudget } from "./token-budget.js";

describe("token budget", () => {
  it("caps a call's completion tokens to what is left outside the synthesis reserve", () => {
    const budget = createTokenBudget(1000, { synthesisReserve: 200 });
    const r = budget.reserve({ promptTokens: 300, maxCompletionTokens: 1024 });
    expect(r.ok && r.value.maxCompletionTokens).toBe(500);
  });

  it("refuses a call that would exceed the budget and marks the budget exhausted", () => {
    const budget = createTokenBudget(1000, { synthesisReserve: 200 });
    const first = budget.reserve({ promptTokens: 100, maxCompletionTokens: 600 });
    expect(first.ok).toBe(true);
    const refused = budget.reserve({ promptTokens: 150, maxCompletionTokens: 100 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: "budget_exceeded", details: { available: 100, total: 1000 } });
    expect(budget.exhausted).toBe(true);
  });

  it("settles reservations with the real usage so unused tokens return to the pool", () => {
    const budget = createTokenBudget(1000, { synthesisReserve: 0 });
    const r = budget.reserve({ promptTokens: 100, maxCompletionTokens: 500 });
    expect(budget.remaining).toBe(400);
    if (r.ok) r.value.settle({ promptTokens: 90, completionTokens: 60 });
    expect(budget.used).toBe(150);
    expect(budget.remaining).toBe(850);
  });

  it("lets only the synthesis call spend the reserve", () => {
    const budget = createTokenBudget(1000, { synthesisReserve: 300 });
    const worker = budget.reserve({ promptTokens: 100, maxCompletionTokens: 600 });
    if (worker.ok) worker.value.settle({ promptTokens: 100, completionTokens: 600 });
    expect(budget.reserve({ promptTokens: 100, maxCompletionTokens: 100 }).ok).toBe(false);
    const synthesis = budget.reserve({ promptTokens: 100, maxCompletionTokens: 1024, useSynthesisReserve: true });
    expect(synthesis.ok && synthesis.value.maxCompletionTokens).toBe(200);
  });

  it("splits what is left evenly across the calls of a wave", () => {
    const budget = createTokenBudget(1000, { synthesisReserve: 100 });
    expect(budget.share(3)).toBe(300);
    const r = budget.reserve({ promptTokens: 50, maxCompletionTokens: 1024, cap: budget.share(3) });
    expect(r.ok && r.value.maxCompletionTokens).toBe(250);
  });
});
