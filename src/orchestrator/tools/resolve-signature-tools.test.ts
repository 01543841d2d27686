import { describe, expect, it } from "vitest";
import { parameterProblems, resolveSignatureTools } from "./resolve-signature-tools.js";
import { createServiceTools } from "./create-service-tools.js";

const toolbox = createServiceTools({ programTimeoutMs: 1000, researchPassages: 5 }, () => {
  throw new Error("the library is not used by these tests");
});
const EMPTY = { type: "object", properties: {} };

describe("resolveSignatureTools", () => {
  it("offers a tool declared without parameters with the service's schema, and the declared description with what was learned", () => {
    const { specs } = resolveSignatureTools("researcher", [{ name: "search_library", description: "Search our docs.", parameters: EMPTY, learned: [{ text: "Quote the document id of every passage you use." }] }], toolbox);
    expect(specs).toEqual([{ name: "search_library", description: "Search our docs.\n\nLearned from past runs:\n- Quote the document id of every passage you use.", parameters: toolbox.get("search_library")!.parameters }]);
  });

  it("offers the declared parameters when they fit the service's", () => {
    const declared = { type: "object", properties: { code: { type: "string", description: "JavaScript that prints the result." } }, required: ["code"] };
    expect(resolveSignatureTools("calc", [{ name: "run_program", description: "Run it.", parameters: declared }], toolbox).specs[0]!.parameters).toBe(declared);
  });

  it("refuses parameters the service does not accept, of another type, or leaving a required one out, naming each", () => {
    expect(parameterProblems({ type: "object", properties: { code: { type: "number" }, lang: { type: "string" } } }, toolbox.get("run_program")!.parameters)).toEqual([
      'parameter "code" must be of type "string" (declared "number")',
      'parameter "lang" is not one the service accepts (it takes code)',
      'parameter "code" is required by the service and must be declared required',
    ]);
    try {
      resolveSignatureTools("calc", [{ name: "run_program", description: "Run it.", parameters: { type: "object", properties: { source: { type: "string" } }, required: ["source"] } }], toolbox);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: "signature_tools_unavailable", status: 422, details: { missing: [], mismatched: [{ name: "run_program" }] } });
      expect((e as Error).message).toMatch(/declares run_program with parameters the service's run_program does not accept: parameter "source" is not one/);
    }
  });

  it("names exactly the tools the service does not have", () => {
    expect(() => resolveSignatureTools("trip", [{ name: "get_weather", description: "w", parameters: EMPTY }, { name: "run_program", description: "r", parameters: EMPTY }], toolbox)).toThrow(
      /^Signature "trip" declares tools the service does not have: get_weather \(the service's tools: run_program, search_library\)\. Run it in your agent with the SDK's runSignature/,
    );
  });
});
