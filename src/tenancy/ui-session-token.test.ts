import { describe, expect, it } from "vitest";
import { generateUiSessionToken, hashUiSessionToken, isWellFormedUiSessionToken } from "./ui-session-token.js";

describe("dashboard session tokens", () => {
  it("are 32 random bytes in base64url, different every time", () => {
    const a = generateUiSessionToken();
    const b = generateUiSessionToken();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(isWellFormedUiSessionToken(a)).toBe(true);
  });

  it("hash to a hex SHA-256 that does not contain the token", () => {
    const token = generateUiSessionToken();
    const hash = hashUiSessionToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashUiSessionToken(token));
    expect(hash).not.toContain(token);
  });

  it("refuse malformed tokens before any lookup (API keys, short or padded strings)", () => {
    for (const bad of ["", "abc", `mak_${"a".repeat(43)}`, `${"a".repeat(42)}=`, "a".repeat(44), `${"a".repeat(42)};`]) {
      expect(isWellFormedUiSessionToken(bad), bad).toBe(false);
    }
  });
});
