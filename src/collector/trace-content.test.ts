import { describe, expect, it } from "vitest";
import { TraceInputSchema } from "../domain/trace.js";
import { traceContentHash, normalizeTrace, truncateText } from "./trace-content.js";

const trace = (response: string, startedAt = "2026-01-31T13:00:00+01:00") =>
  TraceInputSchema.parse({ id: "t1", agent: "a", startedAt, steps: [{ type: "tool_call", name: "x", success: true, response }] });

describe("normalizeTrace", () => {
  it("truncates long tool responses once and marks how long they were", () => {
    const once = normalizeTrace(trace("z".repeat(50)), 10);
    const step = once.steps[0] as { response: string };
    expect(step.response).toBe(`${"z".repeat(10)}…[truncated, 50 chars]`);
    expect(normalizeTrace(once, 10)).toEqual(once);
  });

  it("canonicalizes dates so equal instants hash equally", () => {
    const a = normalizeTrace(trace("ok"));
    const b = normalizeTrace(trace("ok", "2026-01-31T12:00:00Z"));
    expect(a.startedAt).toBe("2026-01-31T12:00:00.000Z");
    expect(traceContentHash(a)).toBe(traceContentHash(b));
    expect(traceContentHash(a)).not.toBe(traceContentHash(normalizeTrace(trace("changed"))));
  });

  it("leaves short text alone", () => {
    expect(truncateText("short", 10)).toBe("short");
  });
});
