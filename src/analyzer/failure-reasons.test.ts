import { describe, it, expect } from "vitest";
import { clusterFailureReasons, formatFailureReasons, normalizeErrorText } from "./failure-reasons.js";

const calls = (texts: string[]) => texts.map((text, i) => ({ text, traceId: `t${i}` }));

describe("failure reasons", () => {
  it("normalizes ids, numbers and quoted values, and keeps status codes", () => {
    expect(normalizeErrorText("Error: payment method 'pm_8812' not found for order 4411")).toBe("payment method <v> not found for order <n>");
    expect(normalizeErrorText('{"error": {"message": "upstream returned status 503"}}')).toBe("upstream returned status 503");
    expect(normalizeErrorText("restart of checkout-42 failed")).toBe("restart of <id> failed");
  });

  it("groups texts of one template and counts them, most frequent first", () => {
    const reasons = clusterFailureReasons(calls(["seat 12A unavailable on flight 9", "seat 3C unavailable on flight 11", "payment method 'pm_1' not found", "seat 7F unavailable on flight 2"]));
    expect(reasons.map((r) => [r.reason, r.count, r.share])).toEqual([
      ["seat <id> unavailable on flight <n>", 3, 0.75],
      ["payment method <v> not found", 1, 0.25],
    ]);
    expect(reasons[0]!.traceIds).toEqual(["t0", "t1", "t3"]);
    expect(formatFailureReasons(reasons, 4)).toBe("'seat <id> unavailable on flight <n>' 3/4, 'payment method <v> not found' 1/4");
  });

  it("never names a value only some calls of a reason had", () => {
    // The demo's planted failure: one template, a different host per service.
    const texts = ["cart", "auth", "cart", "reviews", "payments"].map((s) => `restart of ${s}-17 did not help: could not resolve host ${s}-db.shop.svc`);
    const [reason, ...rest] = clusterFailureReasons(calls(texts));
    expect(rest).toEqual([]);
    expect(reason).toMatchObject({ reason: "restart of <id> did not help: could not resolve host <v>", count: 5 });
    expect(reason!.example).toMatch(/could not resolve host cart-db\.shop\.svc/);
    // A single value shared by all calls stays.
    expect(clusterFailureReasons(calls(["could not resolve host db.shop.svc", "could not resolve host db.shop.svc"]))[0]!.reason).toBe("could not resolve host db.shop.svc");
  });

  it("keeps different status codes apart even when the rest of the text is the same", () => {
    const reasons = clusterFailureReasons(calls(["order not found status 404", "order not found status 404", "order not found status 500"]));
    expect(reasons.map((r) => [r.reason, r.count])).toEqual([
      ["order not found status 404", 2],
      ["order not found status 500", 1],
    ]);
  });
});
