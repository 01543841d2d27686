import { describe, expect, it } from "vitest";
import { createWaveRunner } from "./wave-runner.js";

const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    });
  });

describe("wave runner", () => {
  it("completes the other calls of a wave when one fails", async () => {
    const runner = createWaveRunner({ concurrency: 4, timeoutMs: 5_000 });
    const outcomes = await runner.run(["a", "b", "c"], async (item) => {
      await delay(5);
      if (item === "b") throw new Error("model failed");
      return item.toUpperCase();
    });
    expect(outcomes.map((o) => (o.ok ? o.value : o.error.message))).toEqual(["A", "model failed", "C"]);
  });

  it("never runs more calls at once than the concurrency limit, across waves", async () => {
    const runner = createWaveRunner({ concurrency: 3, timeoutMs: 5_000 });
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(10);
      inFlight--;
      return true;
    };
    const items = Array.from({ length: 8 }, (_, i) => i);
    await Promise.all([runner.run(items, call), runner.run(items, call)]);
    expect(peak).toBe(3);
  });

  it("times out a slow call on its own and aborts its signal", async () => {
    const runner = createWaveRunner({ concurrency: 2, timeoutMs: 5_000 });
    let aborted = false;
    const outcomes = await runner.run(
      [1, 500],
      async (ms, signal) => {
        signal.addEventListener("abort", () => (aborted = true));
        await delay(ms, signal);
        return ms;
      },
      { timeoutMs: 100 },
    );
    expect(outcomes[0]).toMatchObject({ ok: true, value: 1 });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: "call_timeout" } });
    expect(aborted).toBe(true);
  });

  it("times out a call that ignores its abort signal", async () => {
    const runner = createWaveRunner({ concurrency: 1, timeoutMs: 50 });
    const outcomes = await runner.run([0], () => new Promise<number>(() => undefined));
    expect(outcomes[0]).toMatchObject({ ok: false, error: { code: "call_timeout" } });
  });
});
