// Parses a model's answer into output values and validates it against the output fields. The
// issues are phrased for the model, so the repair prompt can quote them verbatim.
import type { SignatureField } from "../domain/signature.js";
import { formatZodIssues } from "../domain/format-issues.js";
import { fieldsZodSchema } from "./field-schemas.js";

export type ParsedAnswer = { ok: true; outputs: Record<string, unknown> } | { ok: false; problems: string };

/** Extracts the JSON object from an answer: bare, in a ``` fence, or surrounded by prose. */
export function extractJsonObject(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed)?.[1]?.trim();
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  const braced = start !== -1 && end > start ? trimmed.slice(start, end + 1) : undefined;
  let firstError = "";
  for (const candidate of [trimmed, fenced, braced]) {
    if (candidate === undefined) continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (e) {
      firstError ||= (e as Error).message;
    }
  }
  return { ok: false, problem: trimmed ? `the answer is not valid JSON (${firstError})` : "the answer is empty" };
}

/** Parses and validates an answer against the output fields. */
export function parseAnswer(text: string, outputs: SignatureField[]): ParsedAnswer {
  const extracted = extractJsonObject(text);
  if (!extracted.ok) return { ok: false, problems: extracted.problem };
  const value = extracted.value;
  if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, problems: "the answer must be a JSON object with the output fields as keys" };
  const parsed = fieldsZodSchema(outputs).safeParse(value);
  if (!parsed.success) return { ok: false, problems: formatZodIssues(parsed.error.issues) };
  // Optional fields the model set to null are dropped, so outputs hold only real values.
  const out = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== null && v !== undefined));
  return { ok: true, outputs: out };
}
