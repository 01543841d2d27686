import { describe, it, expect } from "vitest";
import { bump, bumpKind, nextVersion, compareVersions } from "./version-bump.js";
import type { CompiledVersion } from "./compiled-version.js";

const base: CompiledVersion = {
  name: "diagnosis",
  version: "1.2.3",
  parent: "1.2.2",
  compiledAt: "2026-01-01T00:00:00.000Z",
  description: "d",
  inputs: [{ name: "problem", description: "p", type: "string", optional: false }],
  outputs: [{ name: "rootCause", description: "r", type: "string", optional: false }],
  instructions: "Find the root cause.",
  guidelines: [],
  demos: [],
  model: { temperature: 0, maxTokens: 512 },
  evaluation: null,
  provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
};

describe("version bumps", () => {
  it("bump patch for guideline or demo changes, minor for instructions, major for fields", () => {
    expect(bumpKind(base, { ...base, guidelines: [{ text: "x" }] } as CompiledVersion)).toBe("patch");
    expect(bumpKind(base, { ...base, instructions: "Other." })).toBe("minor");
    expect(bumpKind(base, { ...base, outputs: [...base.outputs, { name: "fix", description: "f", type: "string", optional: false }] })).toBe("major");
    expect(nextVersion(base, { ...base, instructions: "Other." })).toBe("1.3.0");
    expect(nextVersion(undefined, base)).toBe("1.0.0");
    expect(bump("1.9.9", "major")).toBe("2.0.0");
  });

  it("order versions numerically, not lexically", () => {
    expect(["1.10.0", "1.2.0", "1.9.1"].sort(compareVersions)).toEqual(["1.2.0", "1.9.1", "1.10.0"]);
  });
});
