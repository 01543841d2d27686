import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Example } from "./example.js";
import { splitExamples } from "./split-examples.js";

const ex = (id: string, success: boolean): Example => ({ id, input: {}, output: success ? {} : null, success, score: null, feedback: null, startedAt: "2026-01-01T00:00:00Z" });

describe("train/dev split", () => {
  it("never puts an example in both sets and loses none", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 80 }), fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }), fc.integer({ min: 0, max: 50 }), (ids, flags, devSetSize) => {
        const examples = ids.map((id, i) => ex(id, flags[i]!));
        const { train, dev } = splitExamples(examples, { devSetSize, eligible: (e) => e.success === true });
        const trainIds = new Set(train.map((e) => e.id));
        expect(dev.some((e) => trainIds.has(e.id))).toBe(false);
        expect(train.length + dev.length).toBe(examples.length);
        expect(dev.every((e) => e.success)).toBe(true);
        expect(dev.length).toBeLessThanOrEqual(devSetSize);
      }),
    );
  });

  it("splits the same traces the same way whatever their order", () => {
    const examples = Array.from({ length: 60 }, (_, i) => ex(`trace-${i}`, true));
    const a = splitExamples(examples, { devSetSize: 20 });
    const b = splitExamples([...examples].reverse(), { devSetSize: 20 });
    expect(a.dev).toHaveLength(20);
    expect(new Set(b.dev.map((e) => e.id))).toEqual(new Set(a.dev.map((e) => e.id)));
  });

  it("keeps at least half of the eligible examples for training", () => {
    const { train, dev } = splitExamples(Array.from({ length: 10 }, (_, i) => ex(`t${i}`, true)), { devSetSize: 20 });
    expect(dev).toHaveLength(5);
    expect(train).toHaveLength(5);
  });
});
