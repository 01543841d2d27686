// Property-based tests of the two YAML parsers users feed by hand or through git: signatures
// (`prompts/*.yaml`) and compiled versions (`versions/*.yaml`). Whatever the text, a parser
// returns a valid value or throws a ValidationError naming the file — never another error — and
// a compiled version survives serialize → parse unchanged.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ValidationError } from "../errors.js";
import { parseSignature, SignatureSchema, FIELD_TYPES, type SignatureField } from "./signature.js";
import { parseCompiledVersion, serializeCompiledVersion, CompiledVersionSchema, type CompiledVersion } from "./compiled-version.js";
import { applyMutations, mutationsArb } from "../../test/support/mutate.js";

const PROMPTS = fileURLToPath(new URL("../../prompts/", import.meta.url));
const shipped = readdirSync(PROMPTS)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(path.join(PROMPTS, f), "utf8"));

/** Calls `parse`; a thrown error must be a ValidationError that names the file. */
function parsesOrExplains<T>(parse: (text: string, file: string) => T, text: string): T | undefined {
  try {
    return parse(text, "fuzz.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/^fuzz\.yaml(:\d+)?: /);
    return undefined;
  }
}

/** Text-level damage: drop a line, splice in characters, or cut the text short. */
const textMutation = (text: string) =>
  fc.oneof(
    fc.nat().map((n) => {
      const lines = text.split("\n");
      lines.splice(n % lines.length, 1);
      return lines.join("\n");
    }),
    fc.tuple(fc.nat(), fc.string({ unit: "grapheme", maxLength: 8 })).map(([n, s]) => text.slice(0, n % (text.length + 1)) + s + text.slice(n % (text.length + 1))),
    fc.nat().map((n) => text.slice(0, n % (text.length + 1))),
  );

// Strings that stress YAML quoting: indicators, booleans and numbers as text, newlines, unicode.
const yamlishString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("null", "true", "no", "1.0", "0x1F", "~", "- item", "key: value", "# comment", "'quoted'", '"dq"', "a\nb\n", "  lead", "trail ", "|", ">", "&anchor", "*alias", "!tag", "%", "@", "`", "{a: 1}", "[1, 2]", "\t", "2026-11-22"),
);
const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
const semver = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);
const fieldArb: fc.Arbitrary<SignatureField> = fc.record({
  name: ident,
  description: yamlishString.filter((s) => s.length > 0),
  type: fc.constantFrom(...FIELD_TYPES.filter((t) => t !== "enum")),
  optional: fc.boolean(),
}) as fc.Arbitrary<SignatureField>;
const jsonRecord = fc.dictionary(fc.oneof(ident, yamlishString), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const compiledArb: fc.Arbitrary<CompiledVersion> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/),
  version: semver,
  parent: fc.option(semver, { nil: null }),
  compiledAt: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  description: yamlishString,
  inputs: fc.array(fieldArb, { maxLength: 3 }),
  outputs: fc.array(fieldArb, { minLength: 1, maxLength: 3 }),
  instructions: yamlishString,
  guidelines: fc.array(fc.record({ text: yamlishString.filter((s) => s.length > 0), confidence: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 3 }),
  demos: fc.array(fc.record({ input: jsonRecord, output: jsonRecord }), { maxLength: 2 }),
  model: fc.record({ temperature: fc.double({ min: 0, max: 2, noNaN: true }), maxTokens: fc.integer({ min: 1, max: 100_000 }) }),
  evaluation: fc.constant(null),
  provenance: fc.record({ optimizer: yamlishString, llmCalls: fc.nat(), tokens: fc.nat() }),
}) as fc.Arbitrary<CompiledVersion>;

describe("signature parser under fuzzing", () => {
  it("parses or explains arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.jsonValue().map((v) => stringifyYaml(v))), (text) => {
        const value = parsesOrExplains(parseSignature, text);
        if (value !== undefined) expect(SignatureSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it("parses or explains structurally mutated and textually damaged shipped signatures", () => {
    const docs = shipped.map((t) => parseYaml(t) as unknown);
    fc.assert(
      fc.property(fc.nat(shipped.length - 1), mutationsArb(), (i, mutations) => {
        const value = parsesOrExplains(parseSignature, stringifyYaml(applyMutations(docs[i], mutations)));
        if (value !== undefined) expect(SignatureSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 800 },
    );
    fc.assert(
      fc.property(
        fc.nat(shipped.length - 1).chain((i) => textMutation(shipped[i]!)),
        (text) => void parsesOrExplains(parseSignature, text),
      ),
      { numRuns: 800 },
    );
  });
});

const PROTO_KEY_VERSION = CompiledVersionSchema.parse({
  name: "a",
  version: "0.0.0",
  parent: null,
  compiledAt: "2000-01-01T00:00:00.000Z",
  description: "",
  inputs: [],
  outputs: [{ name: "_", description: " ", type: "string", optional: false }],
  instructions: "",
  guidelines: [],
  demos: [{ input: {}, output: JSON.parse('{"_": {"__proto__": ""}}') as Record<string, unknown> }],
  model: { temperature: 0, maxTokens: 1 },
  evaluation: null,
  provenance: { optimizer: "", llmCalls: 0, tokens: 0 },
});

describe("compiled-version parser under fuzzing", () => {
  it("round-trips any valid compiled version through its YAML byte for byte", () => {
    fc.assert(
      fc.property(compiledArb, (version) => {
        const text = serializeCompiledVersion(version);
        const back = parseCompiledVersion(text);
        expect(back).toEqual(CompiledVersionSchema.parse(version));
        expect(serializeCompiledVersion(back)).toBe(text);
      }),
      // Found by this property: a demo whose output has a "__proto__" key (user data) lost it.
      { numRuns: 600, examples: [[PROTO_KEY_VERSION]] },
    );
  });

  it("parses or explains arbitrary, mutated and damaged version files", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => void parsesOrExplains(parseCompiledVersion, text)),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(compiledArb, mutationsArb(), (version, mutations) => {
        const value = parsesOrExplains(parseCompiledVersion, stringifyYaml(applyMutations(CompiledVersionSchema.parse(version), mutations)));
        if (value !== undefined) expect(CompiledVersionSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(compiledArb.chain((v) => textMutation(serializeCompiledVersion(v))), (text) => void parsesOrExplains(parseCompiledVersion, text)),
      { numRuns: 500 },
    );
  });
});
