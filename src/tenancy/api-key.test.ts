import { describe, it, expect } from "vitest";
import { generateApiKey, hashApiKey, isWellFormedApiKey, keyMatchesHash, prefixOf } from "./api-key.js";

describe("API keys", () => {
  it("generate distinct well-formed keys whose hash, not the key, is kept", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(isWellFormedApiKey(a.key)).toBe(true);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
    expect(a.prefix).toBe(prefixOf(a.key));
    expect(a.prefix).toHaveLength(12);
  });

  it("match only the key they were made from", () => {
    const a = generateApiKey();
    expect(keyMatchesHash(a.key, a.hash)).toBe(true);
    expect(keyMatchesHash(generateApiKey().key, a.hash)).toBe(false);
    expect(keyMatchesHash(a.key, "abcd")).toBe(false);
  });

  it("reject strings that are not keys", () => {
    expect(isWellFormedApiKey("Bearer")).toBe(false);
    expect(isWellFormedApiKey("mak_short")).toBe(false);
  });
});
