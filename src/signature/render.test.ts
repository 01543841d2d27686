import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { loadSignature } from "./load-signatures.js";
import { baselineVersion } from "../domain/baseline-version.js";
import { renderMessages } from "./render.js";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));

describe("rendering a compiled signature", () => {
  it("puts instructions, guidelines and the output schema in the system message, demos as turns, inputs last", async () => {
    const { signature } = await loadSignature(PROMPTS, "diagnosis");
    const version = {
      ...baselineVersion(signature),
      guidelines: [{ text: "Call get_logs before get_metrics.", patternId: "p1", patternKey: "k", confidence: 0.9 }],
      demos: [{ input: { problemDescription: "pods crash" }, output: { faultDetected: true, faultType: "code_bug", rootCause: "panic", nextTools: [] }, traceId: "t1" }],
    };
    const messages = renderMessages(version, { problemDescription: "latency spike", namespace: "shop" });
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    const system = messages[0]!.content;
    expect(system).toContain(signature.instructions);
    expect(system).toContain("- Call get_logs before get_metrics.");
    expect(system).toContain('"faultType":{"description"');
    expect(system).toContain('"required":["faultDetected","faultType","rootCause","nextTools"]');
    expect(JSON.parse(messages[1]!.content)).toEqual({ problemDescription: "pods crash" });
    expect(JSON.parse(messages[2]!.content)).toEqual(version.demos[0]!.output);
    expect(JSON.parse(messages[3]!.content)).toEqual({ problemDescription: "latency spike", namespace: "shop" });
  });

  it("omits the guidelines section when there are none", async () => {
    const { signature } = await loadSignature(PROMPTS, "worker");
    const [system] = renderMessages(baselineVersion(signature), { subTaskDescription: "add 2 and 2" });
    expect(system!.content).not.toContain("## Guidelines");
  });

  it("renders each version object's own system message (rendered once per version, never shared)", async () => {
    const { signature } = await loadSignature(PROMPTS, "worker");
    const v1 = baselineVersion(signature);
    const v2 = { ...v1, instructions: "Entirely new instructions." };
    const first = renderMessages(v1, {})[0]!.content;
    expect(renderMessages(v1, {})[0]!.content).toBe(first);
    expect(renderMessages(v2, {})[0]!.content).toContain("Entirely new instructions.");
    expect(renderMessages(v2, {})[0]!.content).not.toContain(v1.instructions.trim());
  });
});
