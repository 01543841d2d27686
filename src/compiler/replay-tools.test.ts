import { describe, expect, it } from "vitest";
import { describeReplay, replayTools } from "./replay-tools.js";
import type { CompiledTool } from "../domain/compiled-version.js";
import type { Example } from "./example.js";

const TOOLS: CompiledTool[] = [
  { name: "lookup_order", description: "Finds an order.", parameters: { type: "object", properties: { orderId: { type: "string" } } }, learned: [{ text: "Pass the id without its # sign." }] },
  { name: "refund", description: "Refunds an order.", parameters: { type: "object" } },
];
const example = (id: string): Example => ({ id, input: {}, output: null, success: true, score: null, feedback: null, startedAt: "2026-01-01T00:00:00Z" });
const call = (name: string, args: unknown, id = "c") => ({ id, name, arguments: JSON.stringify(args) });

describe("replaying recorded tool results", () => {
  const recorded = new Map([
    ["t1", [
      { name: "lookup_order", arguments: { orderId: "A-1" }, success: true, result: '{"status":"shipped"}' },
      { name: "lookup_order", arguments: { orderId: "A-2" }, success: true, result: '{"status":"lost"}' },
      { name: "refund", arguments: { orderId: "A-2" }, success: false, result: "refund window closed" },
    ]],
  ]);

  it("answers a call with the same tool and arguments first, then by tool name in order, then with an error", async () => {
    const replay = replayTools(TOOLS, recorded, 4);
    const loop = replay.forExample(example("t1"));
    expect(loop.tools.map((t) => t.name)).toEqual(["lookup_order", "refund"]);
    // The model reads the learned text, as it would in the agent.
    expect(loop.tools[0]!.description).toContain("Pass the id without its # sign.");
    expect(await loop.callTool(call("lookup_order", { orderId: "A-2" }))).toBe('{"status":"lost"}');
    expect(await loop.callTool(call("lookup_order", { orderId: "B-9" }))).toBe('{"status":"shipped"}');
    expect(await loop.callTool(call("lookup_order", { orderId: "A-1" }))).toMatch(/^error: no recorded result for lookup_order/);
    expect(await loop.callTool(call("refund", { orderId: "A-2" }))).toBe("error: refund window closed");
    expect(replay.counts).toEqual({ exact: 2, byName: 1, unrecorded: 1 });
    // Each example starts afresh, and one without recorded calls gets errors.
    expect(await replay.forExample(example("t1")).callTool(call("lookup_order", { orderId: "A-1" }))).toBe('{"status":"shipped"}');
    expect(await replay.forExample(example("t2")).callTool(call("refund", {}))).toMatch(/^error: no recorded result for refund/);
    expect(replay.counts).toEqual({ exact: 3, byName: 1, unrecorded: 2 });
    expect(describeReplay(TOOLS, replay.counts)).toContain("(3 with the same arguments, 1 by tool name with other arguments, 2 with nothing recorded)");
  });

  it("compares arguments whatever their key order, and treats unparsable arguments as other arguments", async () => {
    const replay = replayTools(TOOLS, new Map([["t", [{ name: "refund", arguments: { orderId: "A", reason: "late" }, success: true, result: "ok" }, { name: "refund", arguments: {}, success: true, result: "second" }]]]), 4);
    const loop = replay.forExample(example("t"));
    expect(await loop.callTool({ id: "x", name: "refund", arguments: '{"reason":"late","orderId":"A"}' })).toBe("ok");
    expect(await loop.callTool({ id: "y", name: "refund", arguments: "{not json" })).toBe("second");
    expect(replay.counts).toEqual({ exact: 1, byName: 1, unrecorded: 0 });
  });
});
