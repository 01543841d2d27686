// llm_judge: the configured model grades a prediction against a rubric (and the recorded
// answer when the trace succeeded). The grade is validated and repaired like any answer.
import type { ChatMessage, ChatModel } from "../../llm/chat-model.js";
import type { SignatureField } from "../../domain/signature.js";
import { fieldsJsonSchema } from "../../signature/field-schemas.js";
import { completeValidated } from "../../signature/predict.js";
import type { Metric } from "./metric.js";
import { clamp01 } from "./metric.js";

const GRADE_FIELDS: SignatureField[] = [
  { name: "score", description: "Grade from 0 (fails the rubric) to 1 (fully meets it).", type: "number", schema: { minimum: 0, maximum: 1 }, optional: false },
  { name: "reasoning", description: "Why, in one or two sentences: what the answer gets wrong.", type: "string", optional: true },
];

/** The judge's conversation. The graded answer comes last, under its own label. */
export function renderJudgeMessages(rubric: string, inputs: unknown, reference: unknown, answer: unknown): ChatMessage[] {
  const system =
    `You grade the answer of an AI agent strictly by this rubric:\n${rubric.trim()}\n\n` +
    `Answer with one JSON object and nothing else, satisfying this JSON Schema:\n${JSON.stringify(fieldsJsonSchema(GRADE_FIELDS))}`;
  const parts = [`Task inputs:\n${JSON.stringify(inputs, null, 2)}`];
  if (reference !== undefined) parts.push(`Reference (a known good result):\n${JSON.stringify(reference, null, 2)}`);
  parts.push(`Answer to grade:\n${JSON.stringify(answer, null, 2)}`);
  return [
    { role: "system", content: system },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** @param model the (budgeted) judge model; @param rubric the scoring rubric. */
export function llmJudge(model: ChatModel, rubric: string): Metric {
  const version = { name: "llm_judge", outputs: GRADE_FIELDS, model: { temperature: 0, maxTokens: 256 } };
  return {
    name: "llm_judge",
    needsGold: false,
    async score(example, prediction) {
      // A correction is the best reference; else the output of a successful run.
      const reference = example.expected ?? (example.success && example.output ? example.output : undefined);
      const result = await completeValidated(model, renderJudgeMessages(rubric, example.input, reference, prediction), version);
      const reasoning = result.outputs.reasoning;
      return { score: clamp01(result.outputs.score as number), ...(typeof reasoning === "string" && reasoning ? { feedback: reasoning } : {}) };
    },
  };
}
