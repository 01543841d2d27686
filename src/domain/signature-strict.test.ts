import { describe, it, expect } from "vitest";
import { parseSignature } from "./signature.js";
import { ValidationError } from "../errors.js";

const source = (outputs: string, extra = "") => `name: triage
description: Triages a ticket
inputs:
  - name: ticketText
    description: The ticket
outputs:
${outputs}
instructions: Decide.
${extra}`;

const problems = (text: string): string => {
  try {
    parseSignature(text, "prompts/triage.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as Error).message;
  }
  throw new Error("expected the signature to be refused");
};

describe("strict signature files", () => {
  it("refuses a flow mapping cut by an unquoted comma, naming file, line and the stray keys", () => {
    const text = source("  - {name: action, description: Next action to take (refund, reset_password, escalate).}");
    const message = problems(text);
    expect(message).toContain('prompts/triage.yaml:7: "reset_password" has no value in a {flow mapping}');
    expect(message).toContain('prompts/triage.yaml:7: "escalate)." has no value');
    expect(message).toContain("Quote the text");
  });

  it("reads the same description quoted in flow style, or unquoted in block style, in full", () => {
    const quoted = parseSignature(source('  - {name: action, description: "Next action to take (refund, reset_password, escalate)."}'), "q.yaml");
    const block = parseSignature(source("  - name: action\n    description: Next action to take (refund, reset_password, escalate)."), "b.yaml");
    expect(quoted.outputs[0]!.description).toBe("Next action to take (refund, reset_password, escalate).");
    expect(block.outputs[0]!.description).toBe(quoted.outputs[0]!.description);
  });

  it("refuses unknown keys (a misspelt field) at the line of their object", () => {
    const message = problems(source("  - name: action\n    descripton: Next action\n    description: Next action"));
    expect(message).toMatch(/^prompts\/triage\.yaml:7: outputs\[0\]: Unrecognized key: "descripton"/);
    expect(problems(source("  - name: action\n    description: a", "temprature: 0.2\n"))).toContain('Unrecognized key: "temprature"');
  });

  it("refuses duplicate keys with their line", () => {
    expect(problems(source("  - name: action\n    description: a", "instructions: Decide again.\n"))).toMatch(/^prompts\/triage\.yaml:10: not valid YAML: Map keys must be unique/);
  });

  it("points a schema problem at the line of the value", () => {
    expect(problems(source("  - name: action\n    description: a\n    type: enum"))).toBe("prompts/triage.yaml:7: outputs[0].values: enum fields need `values`");
  });

  it("keeps accepting flow mappings written in full (JSON Schemas in a field's schema)", () => {
    const sig = parseSignature(source("  - name: items\n    description: a\n    type: json\n    schema: { type: array, items: { type: string, minLength: 1 } }"), "s.yaml");
    expect(sig.outputs[0]!.schema).toEqual({ type: "array", items: { type: "string", minLength: 1 } });
  });

  it("reads tools with their JSON-schema parameters and refuses duplicate tool names", () => {
    const tools = "tools:\n  - name: lookup_order\n    description: Looks up an order\n    parameters: { type: object, properties: { orderId: { type: string } } }\n";
    const sig = parseSignature(source("  - name: action\n    description: a", tools), "t.yaml");
    expect(sig.tools).toEqual([{ name: "lookup_order", description: "Looks up an order", parameters: { type: "object", properties: { orderId: { type: "string" } } } }]);
    expect(problems(source("  - name: action\n    description: a", tools + "  - name: lookup_order\n    description: again\n"))).toContain("tool names must be unique");
  });
});
