import { describe, it, expect } from "vitest";
import { unifiedDiff } from "./prompt-diff.js";

describe("unifiedDiff of version YAML", () => {
  it("leaves the compile time out: it differs in every version and is no change of the prompt", () => {
    const a = "name: x\nversion: 1.0.0\ncompiledAt: 2026-01-02T00:00:00.000Z\ninstructions: A\n";
    const b = "name: x\nversion: 1.0.1\ncompiledAt: 2026-01-01T00:00:00.000Z\ninstructions: B\n";
    const diff = unifiedDiff("a", a, "b", b);
    expect(diff).not.toContain("compiledAt");
    expect(diff).toContain("-instructions: A");
    expect(diff).toContain("+instructions: B");
    expect(unifiedDiff("a", a, "b", a.replace("2026-01-02", "2026-03-04"))).toBe("");
  });
});
