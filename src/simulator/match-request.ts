// Bank matching: decides what a chat request is (a judge request, an instruction proposal, a task
// of a bank family, or unknown) and, for tasks, whether the simulated model gets it right.
import { contentText } from "../llm/token-count.js";
import type { Bank, Family } from "./bank.js";
import { normalizeText, unitHash } from "./hash.js";
import { omittedField, renderAnswer, wrongAnswerOf, type MalformedMode } from "./render-answer.js";
import { wantsJson } from "./wants-json.js";
import type { ChatCompletionRequest, SimMessage } from "./wire.js";

export type ChatDecision =
  | { kind: "judge"; family?: Family; score: number }
  | { kind: "proposal"; candidates: string[]; family?: Family }
  | { kind: "tool_calls"; family: Family; taskText: string; round: number; calls: Family["toolCalls"]; captures?: RegExpExecArray }
  | {
      kind: "answer";
      family: Family;
      taskText: string;
      correct: boolean;
      /** Why the answer is correct: a fixing phrase found, base accuracy, or a repair. */
      reason: "fixed_by" | "base_accuracy" | "repaired" | "wrong";
      /** Set when this answer is deliberately broken (malformedFirst). */
      malformed?: MalformedMode;
      /** Regex captures usable in answers. */
      captures?: RegExpExecArray;
    }
  | { kind: "generic" };

const JUDGE = /\brubric\b/i;
// Asking for new instructions, not merely mentioning them ("propose sub-tasks, then follow the
// instructions" is a task): a verb of proposing + a word of change, or a verb of changing.
const PROPOSER = [
  /\b(?:propose|suggest|write|generate|draft)\s+(?:[\w-]+\s+){0,3}(?:improved|better|new|revised|rewritten|alternative)\s+(?:[\w-]+\s+){0,2}instructions?\b/i,
  /\b(?:improve|rewrite|revise|refine)\s+(?:[\w-]+\s+){0,3}instructions?\b/i,
];
const GENERIC_PROPOSAL = "Read the input carefully, reason step by step about its cause, and answer with exactly the requested output fields.";

const text = (m: SimMessage) => contentText(m.content);

/** Tests a family's match rules against a text (and the system prompt). */
export function matchFamily(family: Family, taskText: string, systemText: string, model = ""): { matched: boolean; captures?: RegExpExecArray } {
  const lower = taskText.toLowerCase();
  const { keywords, anyKeywords, regex, system } = family.match;
  if (family.match.model !== undefined && !new RegExp(family.match.model, "i").test(model)) return { matched: false };
  if (keywords && !keywords.every((k) => lower.includes(k.toLowerCase()))) return { matched: false };
  if (anyKeywords && !anyKeywords.some((k) => lower.includes(k.toLowerCase()))) return { matched: false };
  if (system !== undefined && !new RegExp(system, "i").test(systemText)) return { matched: false };
  if (regex !== undefined) {
    const captures = new RegExp(regex, "i").exec(taskText);
    return captures ? { matched: true, captures } : { matched: false };
  }
  return { matched: true };
}

/** The first family (bank order) matching the text. */
export function findFamily(bank: Bank, taskText: string, systemText: string, model = ""): { family: Family; captures?: RegExpExecArray } | undefined {
  for (const family of bank.families) {
    const m = matchFamily(family, taskText, systemText, model);
    if (m.matched) return { family, ...(m.captures ? { captures: m.captures } : {}) };
  }
  return undefined;
}

/** Which malformed mode a family uses (false: never malformed). */
export function malformedMode(family: Family): MalformedMode | undefined {
  if (family.malformedFirst === false) return undefined;
  return family.malformedFirst === true ? "missing_field" : family.malformedFirst;
}

/** Classifies a chat request against the bank. */
export function decide(bank: Bank, req: ChatCompletionRequest): ChatDecision {
  const messages = req.messages;
  const systemText = messages.filter((m) => m.role === "system" || m.role === "developer").map(text).join("\n");
  const allText = messages.map(text).join("\n");

  if (JUDGE.test(allText)) return judge(bank, messages, systemText);
  if (PROPOSER.some((re) => re.test(allText))) return propose(bank, allText, systemText);

  // The task message is the last user message, unless the conversation ends in repair rounds:
  // task, the simulator's own broken answer sent back verbatim, a repair request (maybe repeated).
  // Recognising our own output exactly keeps demo turns (user/assistant pairs) from counting.
  let taskIndex = lastIndex(messages, (m) => m.role === "user");
  if (taskIndex < 0) return { kind: "generic" };
  let repairs = 0;
  while (taskIndex >= 2 && messages[taskIndex - 1]!.role === "assistant" && messages[taskIndex - 2]!.role === "user") {
    const prefix = { ...req, messages: messages.slice(0, taskIndex - 1) };
    const earlier = decide(bank, prefix);
    if (earlier.kind !== "answer" || !earlier.malformed) break;
    if (renderAnswer(earlier, wantsJson(prefix)).trim() !== text(messages[taskIndex - 1]!).trim()) break;
    taskIndex -= 2;
    repairs++;
  }
  const match = findFamily(bank, text(messages[taskIndex]!), systemText, req.model);
  if (!match) return { kind: "generic" };
  const { family, captures } = match;
  const taskText = text(messages[taskIndex]!);

  // Help counts only before the task message: instructions, guidelines, demo turns (not the
  // task itself, nor repair turns or tool results that may quote it) — and the descriptions of
  // the offered tools, which the model reads with every request.
  const toolDescriptions = (req.tools ?? []).map((t) => t.function.description ?? "");
  const context = [...messages.slice(0, taskIndex).map(text), ...toolDescriptions].join("\n").toLowerCase();
  const fixed = family.fixedBy.some((phrase) => context.includes(phrase.toLowerCase()));

  const after = messages.slice(taskIndex + 1);
  const offered = new Set((req.tools ?? []).map((t) => t.function.name));
  const wantedTools = (fixed && family.fixedToolCalls ? family.fixedToolCalls : family.toolCalls).filter((c) => offered.has(c.name));
  // A round is one assistant turn of tool calls after the task; the family says how many it makes.
  const rounds = after.filter((m) => m.role === "assistant" && (m.tool_calls?.length ?? 0) > 0).length;
  if (wantedTools.length > 0 && (family.toolRounds === "unbounded" || rounds < family.toolRounds)) return { kind: "tool_calls", family, taskText, round: rounds + 1, calls: wantedTools, ...(captures ? { captures } : {}) };

  const base = { kind: "answer" as const, family, taskText, ...(captures ? { captures } : {}) };
  const mode = malformedMode(family);
  if (mode && repairs > 0) {
    const lastRepair = text(messages[messages.length - 1]!);
    const quoted = mode === "invalid_json" ? /json/i.test(lastRepair) : lastRepair.includes(omittedField(family));
    if (quoted) return { ...base, correct: true, reason: "repaired" };
  }

  const accuracy = family.accuracyWhen.find((a) => context.includes(a.phrase.toLowerCase()))?.accuracy ?? family.baseAccuracy;
  const lucky = !fixed && unitHash(`${family.id}\n${normalizeText(taskText)}`) < accuracy;
  const correct = fixed || lucky;
  // Until a repair quotes the error, a malformedFirst family breaks the answer it would give.
  return { ...base, correct, reason: fixed ? "fixed_by" : lucky ? "base_accuracy" : "wrong", ...(mode ? { malformed: mode } : {}) };
}

function judge(bank: Bank, messages: SimMessage[], systemText: string): ChatDecision {
  const userText = messages.filter((m) => m.role === "user").map(text).join("\n");
  const found = findFamily(bank, userText, systemText);
  if (!found) return { kind: "judge", score: bank.judge.defaultScore };
  // The judged text is what follows the last "Prediction:/Answer:/Response:/Output:" label.
  const labels = [...userText.matchAll(/^\s*(?:prediction|answer|response|output|candidate)[^:\n]{0,20}:/gim)];
  const judged = (labels.length > 0 ? userText.slice(labels[labels.length - 1]!.index! + labels[labels.length - 1]![0].length) : userText).toLowerCase();
  const values = (a: Record<string, unknown>) => Object.values(a).map((v) => (typeof v === "string" ? v : JSON.stringify(v)).toLowerCase());
  const { family } = found;
  let score = bank.judge.defaultScore;
  if (values(family.answer).every((v) => judged.includes(v))) score = 1;
  else if (values(wrongAnswerOf(family)).some((v) => judged.includes(v))) score = 0;
  return { kind: "judge", family, score };
}

function propose(bank: Bank, allText: string, systemText: string): ChatDecision {
  const families = bank.families.filter((f) => f.proposals.length > 0 && matchFamily(f, allText, systemText).matched);
  const fromFamilies = [...new Set(families.flatMap((f) => f.proposals))];
  const candidates = fromFamilies.length > 0 ? fromFamilies : bank.proposals.length > 0 ? bank.proposals : [GENERIC_PROPOSAL];
  return { kind: "proposal", candidates, ...(families[0] ? { family: families[0] } : {}) };
}

function lastIndex<T>(items: readonly T[], pred: (t: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i]!)) return i;
  return -1;
}
