// Runs a version on examples and scores each prediction with the metric. An answer that stays
// invalid after repair scores 0 (with the problem as feedback); any other error — a spent budget,
// an unreachable model — stops the evaluation, because a partial score would be misleading.
import type { ChatModel } from "../llm/chat-model.js";
import type { Example } from "./example.js";
import type { Metric } from "./metrics/metric.js";
import { InvalidModelOutputError, predict, type PredictableVersion } from "../signature/predict.js";
import { predictWithTools, type ToolLoop } from "../signature/complete-with-tools.js";

export interface ExampleScore {
  id: string;
  score: number;
  feedback?: string;
  outputs?: Record<string, unknown>;
  /** Prompt + completion tokens the prediction spent (repairs included). */
  tokens?: number;
}

export interface EvaluateOptions {
  /** Examples evaluated at once. Default 4. */
  concurrency?: number;
  /**
   * The version's tools, run in the tool loop: one loop for every example (a ToolRunner's answer,
   * the service's tools), or one per example (the results its run recorded, replay-tools.ts).
   * Default: predictions without tools.
   */
  tools?: ExampleTools;
}

/** Tools for an evaluation: the same loop for every example, or each example's own. */
export type ExampleTools = ToolLoop | ((example: Example) => ToolLoop);

const loopOf = (tools: ExampleTools, example: Example): ToolLoop => (typeof tools === "function" ? tools(example) : tools);

/**
 * Maps with at most `limit` promises in flight, results in input order. Hand-written (a dozen
 * lines) rather than p-limit: it also stops starting new work after the first failure.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Scores `version` on each example, in example order. */
export async function evaluateVersion(model: ChatModel, version: PredictableVersion, examples: readonly Example[], metric: Metric, options: EvaluateOptions = {}): Promise<ExampleScore[]> {
  return mapWithConcurrency(examples, options.concurrency ?? 4, async (example) => {
    let prediction;
    try {
      prediction = options.tools ? await predictWithTools(model, version, example.input, loopOf(options.tools, example)) : await predict(model, version, example.input);
    } catch (e) {
      if (e instanceof InvalidModelOutputError) {
        const d = e.details as { problems: string; usage: { promptTokens: number; completionTokens: number } };
        return { id: example.id, score: 0, feedback: `invalid answer: ${d.problems}`, tokens: d.usage.promptTokens + d.usage.completionTokens };
      }
      throw e;
    }
    const result = await metric.score(example, prediction.outputs, prediction);
    return { id: example.id, score: result.score, outputs: prediction.outputs, tokens: prediction.usage.promptTokens + prediction.usage.completionTokens, ...(result.feedback ? { feedback: result.feedback } : {}) };
  });
}

export const meanScore = (scores: readonly ExampleScore[]) => (scores.length === 0 ? 0 : scores.reduce((s, x) => s + x.score, 0) / scores.length);
