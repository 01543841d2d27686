import { describe, it, expect } from "vitest";
import { fieldValues, normalizeInputs } from "./normalize-inputs.js";

describe("normalizeInputs", () => {
  it("gives the same hash whatever the key order and incidental whitespace", () => {
    const a = normalizeInputs({ question: "  Why is the pod\n crashing? ", namespace: "prod" });
    const b = normalizeInputs({ namespace: "prod", question: "Why is the pod crashing?" });
    expect(a.hash).toBe(b.hash);
    expect(a.text).toBe("namespace: prod\nquestion: Why is the pod crashing?");
  });

  it("keeps case and nested values significant", () => {
    expect(normalizeInputs({ code: "Foo" }).hash).not.toBe(normalizeInputs({ code: "foo" }).hash);
    expect(normalizeInputs({ filters: { b: 1, a: [" x  y "] } }).text).toBe('filters: {"a":["x y"],"b":1}');
  });

  it("drops undefined fields so an absent optional input equals an omitted one", () => {
    expect(normalizeInputs({ q: "x", extra: undefined }).hash).toBe(normalizeInputs({ q: "x" }).hash);
  });

  it("gives the field values of a normalized text without their names", () => {
    const { text } = normalizeInputs({ question: "Why is the pod crashing?", context: 'see: the logs', extra: { a: 1 } });
    expect(fieldValues(text)).toBe('see: the logs\n{"a":1}\nWhy is the pod crashing?');
  });
});
