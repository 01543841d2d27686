// Renders a family's answer as the simulated model writes it: JSON, text, or deliberately broken
// (malformedFirst). Shared by the responder and by repair detection, which must recognise the
// simulator's own broken answers when a client sends them back.
import type { Family } from "./bank.js";

export type MalformedMode = "invalid_json" | "missing_field";

export interface AnswerDecision {
  family: Family;
  correct: boolean;
  malformed?: MalformedMode;
  captures?: RegExpExecArray;
}

/** The family's wrong answer, or one derived from the correct answer. */
export function wrongAnswerOf(family: Family): Record<string, unknown> {
  if (family.wrongAnswer) return family.wrongAnswer;
  return Object.fromEntries(
    Object.entries(family.answer).map(([k, v]) => [k, typeof v === "number" ? 0 : typeof v === "boolean" ? !v : typeof v === "string" ? "unknown" : null]),
  );
}

/** The field the simulator leaves out in `missing_field` mode: the family's last answer field. */
export function omittedField(family: Family): string {
  const keys = Object.keys(family.answer);
  return keys[keys.length - 1]!;
}

/** The answer text: JSON when `json`, else the value alone (one field) or `field: value` lines. */
export function renderAnswer(decision: AnswerDecision, json: boolean): string {
  const answer = substitute(decision.correct ? decision.family.answer : wrongAnswerOf(decision.family), decision.captures);
  if (decision.malformed === "invalid_json") return JSON.stringify(answer).slice(0, -2);
  if (decision.malformed === "missing_field") {
    const { [omittedField(decision.family)]: _omitted, ...rest } = answer;
    return JSON.stringify(rest);
  }
  return json ? JSON.stringify(answer) : asText(answer);
}

function asText(answer: Record<string, unknown>): string {
  const entries = Object.entries(answer);
  const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  return entries.length === 1 ? show(entries[0]![1]) : entries.map(([k, v]) => `${k}: ${show(v)}`).join("\n");
}

/** Replaces `$1` / `$<name>` in string values with the family regex's captures. */
export function substitute(answer: Record<string, unknown>, captures?: RegExpExecArray): Record<string, unknown> {
  if (!captures) return answer;
  const fill = (s: string) =>
    s.replace(/\$(\d)|\$<([A-Za-z_]\w*)>/g, (whole, num: string | undefined, name: string | undefined) =>
      (num !== undefined ? captures[Number(num)] : captures.groups?.[name!]) ?? whole,
    );
  // Nested values too: an analyst's plan carries the captured text in its sub-tasks.
  const deep = (v: unknown): unknown => (typeof v === "string" ? fill(v) : Array.isArray(v) ? v.map(deep) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : v);
  return Object.fromEntries(Object.entries(answer).map(([k, v]) => [k, deep(v)]));
}
