import { describe, expect, it } from "vitest";
import { nameBasedUuid } from "./name-based-id.js";

describe("nameBasedUuid", () => {
  it("gives the same RFC 9562 version-8 UUID for the same name and different ones for different names", () => {
    const a = nameBasedUuid("demo\u0000default\u00001");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedUuid("demo\u0000default\u00001")).toBe(a);
    const many = new Set(Array.from({ length: 1000 }, (_, i) => nameBasedUuid(`n${i}`)));
    expect(many.size).toBe(1000);
  });
});
