import { describe, it, expect } from "vitest";
import { changeStatus, vanished } from "./compare-runs.js";

const p = (confidence: number, effect: number, actionable: boolean) => ({ key: "k", confidence, effect, actionable });

describe("changeStatus", () => {
  it("calls a pattern without a predecessor new", () => {
    expect(changeStatus(p(0.9, 0.3, true), undefined)).toBe("new");
  });

  it("calls a pattern that became actionable strengthened, and one that stopped being actionable weakened", () => {
    expect(changeStatus(p(0.72, 0.2, true), p(0.69, 0.2, false))).toBe("strengthened");
    expect(changeStatus(p(0.69, 0.2, false), p(0.72, 0.2, true))).toBe("weakened");
  });

  it("compares confidence first, then the size of the effect, with a tolerance", () => {
    expect(changeStatus(p(0.9, 0.2, true), p(0.8, 0.2, true))).toBe("strengthened");
    expect(changeStatus(p(0.99, 0.1, true), p(0.99, 0.3, true))).toBe("weakened");
    expect(changeStatus(p(0.99, -0.4, true), p(0.99, -0.3, true))).toBe("strengthened");
    expect(changeStatus(p(0.99, 0.31, true), p(0.98, 0.3, true))).toBe("unchanged");
  });
});

describe("vanished", () => {
  it("lists previous patterns whose key is gone", () => {
    expect(vanished([{ key: "a" }, { key: "b" }], new Set(["b"]))).toEqual([{ key: "a" }]);
  });
});
