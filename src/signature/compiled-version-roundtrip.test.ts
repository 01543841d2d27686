import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { CompiledVersionSchema, parseCompiledVersion, serializeCompiledVersion, type CompiledVersion } from "../domain/compiled-version.js";
import { loadSignatures } from "./load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

function compiledExample(base: CompiledVersion): CompiledVersion {
  return {
    ...base,
    version: "1.1.0",
    parent: "1.0.0",
    instructions: base.instructions + "\nState the evidence: quote the log line.\n  Indented: yes: with colons # and hashes",
    guidelines: [
      { text: "Call get_pods before get_logs.", patternId: "pat-1", patternKey: "success_pattern:before:get_pods>get_logs", confidence: 0.93 },
      { text: "Hand-written: never guess." },
    ],
    tools: [
      {
        name: "run_program",
        description: "Runs a JavaScript program.\nHand-written: with colons # and hashes",
        parameters: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
        learned: [{ text: 'Before calling run_program, rule out "program_no_output: the program printed nothing" (14 of 20).', patternId: "pat-2", patternKey: "failure_pattern:tool_error:run_program", confidence: 0.97, evidence: "direct: run_program fails in 40% of its calls (20/50)" }],
      },
      { name: "search_library", description: "Searches the library.", parameters: { type: "object", properties: {} } },
    ],
    demos: [
      { input: { problemDescription: "multi\nline: text", zeta: 1, alpha: [1, { b: 2, a: "x" }] }, output: { faultDetected: true, faultType: "network", rootCause: "'quoted' \"both\"", nextTools: [] }, traceId: "t-2" },
      { input: { problemDescription: "" }, output: { faultDetected: false, faultType: "none", rootCause: "-", nextTools: ["get_events"] }, traceId: "t-1" },
      // A demo whose output is a trace's correction says so.
      { input: { problemDescription: "OOMKilled" }, output: { faultDetected: true, faultType: "resource_exhaustion", rootCause: "memory limit", nextTools: [] }, traceId: "t-3", corrected: true },
    ],
    evaluation: { metric: "json_fields_match", devSetSize: 20, parentScore: { mean: 0.45, ci: [0.3, 0.6] }, score: { mean: 0.9, ci: [0.8, 1] } },
    provenance: { optimizer: "search", analysisRunId: "run-7", traceWindow: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-02T00:00:00.000Z" }, llmCalls: 120, tokens: 45000 },
  };
}

describe("compiled version files", () => {
  it("keep the mark of a demo taken from a correction", async () => {
    const [first] = await loadSignatures(PROMPTS);
    const text = serializeCompiledVersion(compiledExample(baselineVersion(first!.signature, new Date("2026-01-03T00:00:00Z"))));
    expect(text).toContain("corrected: true");
    expect(parseCompiledVersion(text).demos.map((d) => d.corrected ?? false)).toEqual([false, false, true]);
  });

  it("round-trip byte for byte for every shipped signature", async () => {
    for (const { signature } of await loadSignatures(PROMPTS)) {
      for (const version of [baselineVersion(signature, new Date("2026-01-01T00:00:00Z")), compiledExample(baselineVersion(signature, new Date("2026-01-03T00:00:00Z")))]) {
        const text = serializeCompiledVersion(version);
        const reparsed = parseCompiledVersion(text, `versions/${signature.name}.yaml`);
        expect(serializeCompiledVersion(reparsed)).toBe(text);
        expect(reparsed).toEqual(parseCompiledVersion(text));
        expect(reparsed).toEqual(CompiledVersionSchema.parse(version));
      }
    }
  });

  it("does not depend on the order in which keys were built", async () => {
    const { signature } = (await loadSignatures(PROMPTS))[0]!;
    const a = compiledExample(baselineVersion(signature, new Date("2026-01-01T00:00:00Z")));
    const shuffled = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as CompiledVersion;
    const reordered = { ...shuffled, ...Object.fromEntries(Object.entries(a).reverse()) } as CompiledVersion;
    expect(serializeCompiledVersion(reordered)).toBe(serializeCompiledVersion(a));
  });
});
