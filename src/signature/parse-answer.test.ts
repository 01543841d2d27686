import { describe, expect, it } from "vitest";
import type { SignatureField } from "../domain/signature.js";
import { parseAnswer } from "./parse-answer.js";

const outputs: SignatureField[] = [
  { name: "faultType", description: "kind", type: "enum", values: ["network", "none"], optional: false },
  { name: "confidence", description: "0..1", type: "number", schema: { minimum: 0, maximum: 1 }, optional: false },
  { name: "components", description: "names", type: "json", schema: { type: "array", items: { type: "string" } }, optional: false },
  { name: "note", description: "free text", type: "string", optional: true },
];

describe("parsing a model answer", () => {
  it("accepts a valid object, also inside a code fence or prose", () => {
    const body = '{"faultType":"network","confidence":0.9,"components":["db"]}';
    for (const text of [body, "```json\n" + body + "\n```", `Here it is: ${body} done.`]) {
      expect(parseAnswer(text, outputs)).toEqual({ ok: true, outputs: { faultType: "network", confidence: 0.9, components: ["db"] } });
    }
  });

  it("names each wrong field and what was expected", () => {
    const result = parseAnswer('{"faultType":"disk","confidence":2,"components":[1],"extra":true}', outputs);
    expect(result.ok).toBe(false);
    const problems = (result as { problems: string }).problems;
    expect(problems).toContain('faultType: expected one of "network", "none"');
    expect(problems).toContain("confidence: must be <= 1");
    expect(problems).toContain("components: must be string at /0");
    expect(problems).toMatch(/extra/);
  });

  it("reports missing fields and non-JSON answers", () => {
    expect(parseAnswer('{"faultType":"none","confidence":0}', outputs)).toMatchObject({ ok: false, problems: expect.stringContaining("components: is required") });
    expect(parseAnswer("I think it is the network.", outputs)).toMatchObject({ ok: false, problems: expect.stringContaining("not valid JSON") });
    expect(parseAnswer("[1,2]", outputs)).toMatchObject({ ok: false, problems: expect.stringContaining("must be a JSON object") });
  });
});

describe("validator reuse across calls", () => {
  it("follows the fields' content: a version with changed fields never gets a stale validator", () => {
    const narrowed: SignatureField[] = outputs.map((f) => (f.name === "faultType" ? { ...f, values: ["disk"] } : f));
    const answer = '{"faultType":"network","confidence":0.9,"components":[]}';
    expect(parseAnswer(answer, outputs).ok).toBe(true);
    expect(parseAnswer(answer, narrowed)).toEqual({ ok: false, problems: expect.stringContaining('one of "disk"') });
    // Same content in a new array (a version loaded again) validates the same way.
    expect(parseAnswer(answer, structuredClone(outputs)).ok).toBe(true);
  });
});
