import { describe, expect, it } from "vitest";
import { mapYielding } from "./map-yielding.js";

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: stands for validation and hashing work
  }
};

describe("mapYielding", () => {
  it("maps in order with the index, like Array.map", async () => {
    expect(await mapYielding(["a", "b", "c"], (x, i) => `${x}${i}`)).toEqual(["a0", "b1", "c2"]);
    expect(await mapYielding([], (x) => x)).toEqual([]);
  });

  it("lets other callbacks run between slices of long work", async () => {
    const seen: number[] = [];
    let processed = 0;
    const ticker = setInterval(() => seen.push(processed), 0);
    await mapYielding(Array.from({ length: 20 }, (_, i) => i), () => {
      busy(1);
      processed++;
    }, 2);
    clearInterval(ticker);
    // The timer fired while work was still pending: the loop was not held for all 20 ms.
    expect(seen.some((n) => n > 0 && n < 20)).toBe(true);
  });

  it("does not yield when the work fits in one slice", async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await mapYielding([1, 2, 3], (x) => x * 2, 1000);
    expect(ran).toBe(false);
  });
});
