// llm_judge: the configured model scores a prediction against a rubric (and the recorded
// answer when there is one). The judge is itself a signature, so its answer is validated and
// repaired like any other.
import type { ChatModel } from "../../llm/chat-model.js";
import { predict, type PredictableVersion } from "../predict.js";
import type { Metric } from "./metric.js";
import { clamp01 } from "./metric.js";

const judge = (rubric: string): PredictableVersion => ({
  name: "llm_judge",
  description: "Grades the answer of another agent against a rubric.",
  inputs: [
    { name: "rubric", description: "How to score.", type: "string", optional: false },
    { name: "taskInputs", description: "What the agent was given.", type: "json", optional: false },
    { name: "referenceAnswer", description: "A known good answer, if any.", type: "json", optional: true },
    { name: "agentAnswer", description: "The answer to grade.", type: "json", optional: false },
  ],
  outputs: [
    { name: "score", description: "Grade from 0 (fails the rubric) to 1 (fully meets it).", type: "number", schema: { minimum: 0, maximum: 1 }, optional: false },
    { name: "feedback", description: "What the answer gets wrong, in one or two sentences.", type: "string", optional: false },
  ],
  instructions: `Grade the agent's answer strictly by the rubric:\n${rubric}`,
  guidelines: [],
  demos: [],
  model: { temperature: 0, maxTokens: 256 },
});

/** @param model the (budgeted) judge model; @param rubric the scoring rubric. */
export function llmJudge(model: ChatModel, rubric: string): Metric {
  const version = judge(rubric);
  return {
    name: "llm_judge",
    needsGold: false,
    async score(example, prediction) {
      const result = await predict(model, version, {
        rubric,
        taskInputs: example.input,
        ...(example.success && example.output ? { referenceAnswer: example.output } : {}),
        agentAnswer: prediction,
      });
      return { score: clamp01(result.outputs.score as number), feedback: String(result.outputs.feedback ?? "") };
    },
  };
}
