import { describe, expect, it } from "vitest";
import { sideBySide } from "./side-by-side.js";

describe("sideBySide", () => {
  it("faces removed lines with the lines that replaced them and keeps unchanged lines on both sides", () => {
    const rows = sideBySide("a\nb\nc\n", "a\nB\nc\nd\n");
    expect(rows).toEqual([
      { left: { no: 1, text: "a", kind: "same" }, right: { no: 1, text: "a", kind: "same" } },
      { left: { no: 2, text: "b", kind: "removed" }, right: { no: 2, text: "B", kind: "added" } },
      { left: { no: 3, text: "c", kind: "same" }, right: { no: 3, text: "c", kind: "same" } },
      { left: null, right: { no: 4, text: "d", kind: "added" } },
    ]);
  });

  it("shows a whole file as added when there is nothing to compare with", () => {
    expect(sideBySide("", "x\ny\n").map((r) => [r.left, r.right?.kind])).toEqual([
      [null, "added"],
      [null, "added"],
    ]);
  });
});
