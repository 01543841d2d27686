// Reflective instruction proposal (GEPA-style): show the model the current prompt and examples
// it failed, with the metric's feedback, and ask for improved instructions. Proposals are scored
// on a training minibatch; the best one wins only if it beats the current instructions there.
import type { CompiledVersion } from "../../domain/compiled-version.js";
import type { ChatModel } from "../../llm/chat-model.js";
import { ValidationError } from "../../errors.js";
import { goldOutput, hasGold, type Example } from "../example.js";
import { evaluateVersion, meanScore, type ExampleScore } from "../evaluate-version.js";
import type { Metric } from "../metrics/metric.js";
import { predict, type PredictableVersion } from "../../signature/predict.js";
import { createRng, shuffled } from "../random.js";
import type { Optimizer } from "./optimizer.js";

/** A failure shown to the reflecting model. */
export interface Failure {
  inputs: Record<string, unknown>;
  answer: unknown;
  expected?: unknown;
  feedback?: string;
}

const REFLECTOR: PredictableVersion = {
  name: "instruction_reflector",
  description: "Improves the instructions of an LLM agent from examples it got wrong.",
  inputs: [
    { name: "taskDescription", description: "What the agent is for.", type: "string", optional: false },
    { name: "currentInstructions", description: "The agent's current instructions.", type: "string", optional: false },
    { name: "currentGuidelines", description: "Guidelines the agent already follows.", type: "json", optional: false },
    { name: "failures", description: "Inputs the agent got wrong, its answer, the expected answer when known, and feedback.", type: "json", optional: false },
    { name: "proposalNumber", description: "Which of several alternative proposals this is; make each one different.", type: "number", optional: false },
  ],
  outputs: [{ name: "instructions", description: "Complete replacement instructions that address the failures' common causes.", type: "string", schema: { minLength: 20 }, optional: false }],
  instructions:
    "Diagnose why the agent failed on these inputs, then write improved instructions that would have prevented the failures without breaking what already works. Keep the output format requirements; do not mention specific test inputs.",
  guidelines: [],
  demos: [],
  model: { temperature: 0.7, maxTokens: 1536 },
};

/**
 * Asks the model for `count` improved instructions, one call each (numbered so each call is a
 * distinct request); duplicates and proposals equal to the current instructions are dropped.
 */
export async function proposeInstructions(model: ChatModel, version: PredictableVersion, failures: Failure[], count: number): Promise<string[]> {
  const proposals = new Set<string>();
  for (let i = 1; i <= count; i++) {
    const result = await predict(model, REFLECTOR, {
      taskDescription: version.description,
      currentInstructions: version.instructions,
      currentGuidelines: version.guidelines.map((g) => g.text),
      failures: failures.slice(0, 5),
      proposalNumber: i,
    });
    const text = String(result.outputs.instructions).trim();
    if (text && text !== version.instructions.trim()) proposals.add(text);
  }
  return [...proposals];
}

/** Failures to reflect on: recorded failing traces first, then minibatch predictions that scored low. */
export function collectFailures(trainset: Example[], scored: { example: Example; result: ExampleScore }[], threshold: number): Failure[] {
  const recorded = trainset
    .filter((e) => e.success === false || (e.score !== null && e.score < threshold))
    .map((e) => ({ inputs: e.input, answer: e.output, ...(e.expected ? { expected: e.expected } : {}), ...(e.feedback ? { feedback: e.feedback } : {}) }));
  const predicted = scored
    .filter((s) => s.result.score < threshold)
    .map((s) => ({
      inputs: s.example.input,
      answer: s.result.outputs ?? null,
      ...(hasGold(s.example, threshold) ? { expected: goldOutput(s.example, threshold) } : {}),
      ...(s.result.feedback ? { feedback: s.result.feedback } : {}),
    }));
  return [...predicted, ...recorded];
}

/** A seeded minibatch of training examples the metric can score. */
export function minibatch(trainset: Example[], metric: Metric, threshold: number, size: number, seed: string): Example[] {
  const usable = metric.needsGold ? trainset.filter((e) => hasGold(e, threshold)) : trainset;
  return shuffled(usable, createRng(`${seed}:minibatch`)).slice(0, size);
}

export interface ReflectiveOptions {
  /** Proposals asked for. Default 3. */
  proposals?: number;
  /** Training examples each proposal is scored on. Default 8. */
  minibatchSize?: number;
}

/** Builds the reflective optimizer. */
export function reflectiveInstructions(settings: ReflectiveOptions = {}): Optimizer {
  return {
    name: "reflective",
    async compile(signature, current, trainset, metric, options) {
      if (!options.model) throw new ValidationError("the reflective optimizer needs a model; configure LLM_BASE_URL and LLM_MODEL, or pick an optimizer that needs none: guideline-induction (guidelines induced by the analyzer's findings) or bootstrap-few-shot (demos)");
      const model = options.model;
      const batch = minibatch(trainset, metric, signature.metric.threshold, settings.minibatchSize ?? 8, options.seed);
      const baseScores = await evaluateVersion(model, current, batch, metric, options.tools ? { tools: options.tools } : {});
      const failures = collectFailures(trainset, batch.map((example, i) => ({ example, result: baseScores[i]! })), signature.metric.threshold);
      if (failures.length === 0) return { instructions: current.instructions, guidelines: current.guidelines, demos: current.demos, notes: ["no failures to reflect on"] };
      const proposals = await proposeInstructions(model, current, failures, settings.proposals ?? 3);
      let best = { instructions: current.instructions, score: meanScore(baseScores) };
      for (const instructions of proposals) {
        const score = meanScore(await evaluateVersion(model, { ...current, instructions } as CompiledVersion, batch, metric, options.tools ? { tools: options.tools } : {}));
        if (score > best.score) best = { instructions, score };
      }
      const changed = best.instructions !== current.instructions;
      return {
        instructions: best.instructions,
        guidelines: current.guidelines,
        demos: current.demos,
        notes: [
          changed
            ? `instructions rewritten from ${failures.length} failure(s): minibatch score ${meanScore(baseScores).toFixed(3)} → ${best.score.toFixed(3)}`
            : `none of ${proposals.length} proposed instructions beat the current ones on the minibatch`,
        ],
      };
    },
  };
}
