import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Example } from "../example.js";
import type { Signature } from "../../domain/signature.js";
import { SignatureSchema } from "../../domain/signature.js";
import { exactMatch } from "./exact-match.js";
import { f1, tokenF1 } from "./f1.js";
import { jsonFieldsMatch } from "./json-fields-match.js";
import { resolveMetric } from "./resolve-metric.js";

const example = (output: Record<string, unknown>): Example => ({ id: "t1", input: { q: "x" }, output, success: true, score: null, feedback: null, startedAt: "2026-01-01T00:00:00Z" });

const signature = (metric: Record<string, unknown>): Signature =>
  SignatureSchema.parse({
    name: "s",
    description: "d",
    inputs: [{ name: "q", description: "q" }],
    outputs: [{ name: "answer", description: "a" }, { name: "tags", description: "t", type: "json" }],
    instructions: "i",
    metric,
  });

describe("built-in metrics", () => {
  it("compare with a correction, not with the run's own (wrong) answer", async () => {
    const corrected: Example = { ...example({ answer: "cache", tags: ["x"] }), success: false, expected: { answer: "db", tags: ["y"] } };
    expect((await exactMatch("answer").score(corrected, { answer: "db" })).score).toBe(1);
    expect(await exactMatch("answer").score(corrected, { answer: "cache" })).toEqual({ score: 0, feedback: 'answer should be "db", got "cache"' });
    expect((await f1("answer").score(corrected, { answer: "db" })).score).toBe(1);
    expect(await jsonFieldsMatch(["answer", "tags"]).score(corrected, { answer: "db", tags: ["x"] })).toEqual({ score: 0.5, feedback: 'tags should be ["y"], got ["x"]' });
  });

  it("exact_match ignores case, punctuation and whitespace but nothing else", async () => {
    const m = exactMatch("answer");
    expect((await m.score(example({ answer: "The DB pod." }), { answer: "the db   pod" })).score).toBe(1);
    expect(await m.score(example({ answer: "db" }), { answer: "cache" })).toEqual({ score: 0, feedback: 'answer should be "db", got "cache"' });
  });

  it("f1 measures token overlap", async () => {
    expect(tokenF1("the cat sat", "the cat sat")).toBe(1);
    expect(tokenF1("cat", "the cat sat")).toBeCloseTo(0.5);
    expect(tokenF1("dog", "cat")).toBe(0);
    expect((await f1("answer").score(example({ answer: "restart the pod" }), { answer: "restart pod" })).score).toBeCloseTo(0.8);
  });

  it("json_fields_match scores the share of matching fields with deep equality", async () => {
    const m = jsonFieldsMatch(["answer", "tags"]);
    expect((await m.score(example({ answer: "a", tags: { x: [1, 2], y: "Z" } }), { answer: "A", tags: { y: "z", x: [1, 2] } })).score).toBe(1);
    const half = await m.score(example({ answer: "a", tags: [1, 2] }), { answer: "a", tags: [2, 1] });
    expect(half.score).toBe(0.5);
    expect(half.feedback).toContain("tags should be [1,2]");
  });
});

describe("metrics from modules", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "metric-"));
  writeFileSync(path.join(dir, "custom.mjs"), "export default (ex, pred) => pred.answer === ex.input.q ? 1 : { score: 0.25, feedback: 'echo the question' };\n");
  writeFileSync(path.join(dir, "replay.mjs"), "export default async (ex, pred) => ({ success: pred.answer === 'fixed' });\n");
  writeFileSync(path.join(dir, "bad.mjs"), "export default () => 7;\n");
  const file = path.join(dir, "s.yaml");

  it("custom modules return a number or { score, feedback }", async () => {
    const m = await resolveMetric(signature({ name: "custom", module: "./custom.mjs" }), { signatureFile: file });
    expect((await m.score(example({}), { answer: "x" })).score).toBe(1);
    expect(await m.score(example({}), { answer: "y" })).toEqual({ score: 0.25, feedback: "echo the question" });
  });

  it("outcome modules replay the prediction and report success", async () => {
    const m = await resolveMetric(signature({ name: "outcome", module: "./replay.mjs" }), { signatureFile: file });
    expect((await m.score(example({}), { answer: "fixed" })).score).toBe(1);
    expect((await m.score(example({}), { answer: "nope" })).score).toBe(0);
  });

  it("a module returning a bad value, or a missing module, fails with a clear error", async () => {
    const m = await resolveMetric(signature({ name: "custom", module: "./bad.mjs" }), { signatureFile: file });
    await expect(m.score(example({}), {})).rejects.toThrow(/returned 7: expected a number in \[0, 1\]/);
    await expect(resolveMetric(signature({ name: "custom", module: "./missing.mjs" }), { signatureFile: file })).rejects.toThrow(/metric.module: cannot load/);
    await expect(resolveMetric(signature({ name: "exact_match", field: "nope" }), { signatureFile: file })).rejects.toThrow(/metric.field: "nope" is not an output/);
    await expect(resolveMetric(signature({ name: "llm_judge", rubric: "r" }), { signatureFile: file })).rejects.toThrow(/llm_judge needs a model/);
    rmSync(dir, { recursive: true, force: true });
  });
});
