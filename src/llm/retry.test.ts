import { describe, expect, it } from "vitest";
import { LlmError, retryAfterMsFromHeaders, kindOfStatus } from "./errors.js";
import { retryDelayMs, withRetry } from "./retry.js";

describe("LLM retry policy", () => {
  it("classifies HTTP statuses into retryable and final kinds", () => {
    expect([408, 409, 429, 500, 503].map((s) => new LlmError(kindOfStatus(s), "x").isRetryable)).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 422].map((s) => new LlmError(kindOfStatus(s), "x").isRetryable)).toEqual([false, false, false, false, false]);
  });

  it("reads Retry-After as seconds, as an HTTP date and as retry-after-ms", () => {
    expect(retryAfterMsFromHeaders(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMsFromHeaders(new Headers({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMsFromHeaders(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), now)).toBe(3000);
    expect(retryAfterMsFromHeaders(new Headers({ "retry-after": "soon" }))).toBeUndefined();
  });

  it("backs off exponentially with jitter and honours Retry-After up to the cap", () => {
    const e = new LlmError("server", "boom");
    expect(retryDelayMs(e, 0, { baseDelayMs: 100, random: () => 0 })).toBe(50);
    expect(retryDelayMs(e, 2, { baseDelayMs: 100, random: () => 1 })).toBe(400);
    expect(retryDelayMs(e, 10, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
    expect(retryDelayMs(new LlmError("rate_limit", "slow down", { retryAfterMs: 2500 }), 0, { maxDelayMs: 2000 })).toBe(2000);
  });

  it("retries retryable errors until success and stops at once on a final error", async () => {
    const delays: number[] = [];
    let n = 0;
    const value = await withRetry(
      async () => {
        if (n++ < 2) throw new LlmError("server", "HTTP 500");
        return "ok";
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5, baseDelayMs: 100 },
    );
    expect(value).toBe("ok");
    expect(delays).toHaveLength(2);

    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new LlmError("bad_request", "HTTP 400");
      }),
    ).rejects.toMatchObject({ kind: "bad_request", isRetryable: false });
    expect(calls).toBe(1);
  });

  it("gives up after maxRetries with the last error", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new LlmError("timeout", "slow");
        },
        { maxRetries: 2, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ kind: "timeout" });
    expect(calls).toBe(3);
  });
});
