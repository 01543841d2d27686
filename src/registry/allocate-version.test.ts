import { describe, it, expect } from "vitest";
import { allocateVersion, nextFreePatch } from "./allocate-version.js";
import type { CompiledVersion } from "../domain/compiled-version.js";

const v = (version: string, instructions = "a") => ({ version, inputs: [], outputs: [], instructions }) as unknown as CompiledVersion;

describe("allocateVersion", () => {
  it("gives the first version 1.0.0", () => {
    expect(allocateVersion(undefined, v("0.0.0"), [])).toBe("1.0.0");
  });
  it("bumps minor when instructions change and skips numbers already taken", () => {
    expect(allocateVersion(v("1.0.0"), v("?", "b"), ["1.0.0"])).toBe("1.1.0");
    expect(allocateVersion(v("1.0.0"), v("?", "b"), ["1.0.0", "1.1.0", "1.1.1"])).toBe("1.1.2");
  });
  it("finds the next free patch for rollbacks", () => {
    expect(nextFreePatch("1.1.0", ["1.0.0", "1.1.0", "1.1.1"])).toBe("1.1.2");
  });
});
