import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadSignature } from "../../signature/load-signatures.js";
import { resolveMetric } from "./resolve-metric.js";
import type { Example } from "../example.js";

const PROMPTS = fileURLToPath(new URL("../../../prompts", import.meta.url));
const example: Example = { id: "t", input: { problemStatement: "mean of 2, 4, 9" }, output: { language: "javascript", code: "", expectedAnswer: "5" }, success: true, score: 1, feedback: null, startedAt: "2026-01-01T00:00:00Z" };

describe("the engineer's outcome metric", () => {
  it("runs the program and compares what it prints with the recorded answer", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "engineer");
    const metric = await resolveMetric(signature, { signatureFile: file });
    expect(metric.name).toBe("outcome");
    expect((await metric.score(example, { language: "javascript", code: "console.log([2,4,9].reduce((a,b)=>a+b)/3)" })).score).toBe(1);
    expect(await metric.score(example, { language: "javascript", code: "console.log(6)" })).toEqual({ score: 0, feedback: 'the program printed "6", expected "5"' });
    expect((await metric.score(example, { language: "python", code: "print(5)" })).feedback).toMatch(/only JavaScript/);
  });

  it("does not let the program read files", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "engineer");
    const metric = await resolveMetric(signature, { signatureFile: file });
    const result = await metric.score(example, { language: "javascript", code: "console.log(require('fs').readFileSync('/etc/hostname','utf8'))" });
    expect(result.score).toBe(0);
    expect(result.feedback).toMatch(/ERR_ACCESS_DENIED|Access to this API has been restricted/);
  });
});
