// The evaluation harness: runs versions of a signature over a dataset against the configured
// model (a fixed seed, bounded concurrency, retries of retryable errors) and reports, per
// version, success with its 95 % interval, tokens, cost and latency per item, and for every
// version after the first the paired difference against the first, on quality and on the
// promotion objective. `meta-agent eval` and POST /v1/signatures/:name/eval both call it.
import type { ChatModel } from "../../llm/chat-model.js";
import type { Signature } from "../../domain/signature.js";
import { AppError } from "../../errors.js";
import { InvalidModelOutputError, predict } from "../../signature/predict.js";
import { predictWithTools, type ToolRunner } from "../../signature/complete-with-tools.js";
import type { Metric } from "../metrics/metric.js";
import { mapWithConcurrency, type ExampleTools } from "../evaluate-version.js";
import { REPLAY_MAX_ROUNDS, replayTools, type ReplayCounts, type ReplayTools } from "../replay-tools.js";
import type { RecordedToolCall } from "../../collector/query/recorded-tool-calls.js";
import type { EvalDataset } from "./eval-dataset.js";
import type { EvalVersion } from "./resolve-eval-versions.js";
import { summarizeEval, type EvalItemResult, type EvalSummary } from "./summarize-eval.js";
import type { ObjectiveSettings } from "../objective.js";

export interface EvalSettings {
  objective: ObjectiveSettings;
  /** USD per million tokens (0 and 0: cost not reported). */
  prices: { prompt: number; completion: number };
  /** Confidence of the intervals. Default 0.95. */
  confidence?: number;
}

export interface RunEvalOptions {
  /** Seed sent with every model call and used for the bootstrap (and the sample, with `limit`). Default 1. */
  seed?: number;
  /** Item × version calls in flight at once. Default 4. */
  concurrency?: number;
  /** Retries of one item after a retryable error (timeouts, 429, 5xx) beyond the model adapter's own. Default 2. */
  retries?: number;
  /** Delay before the first retry, doubled each time, in ms. Default 250. */
  retryDelayMs?: number;
  /** Called after each item × version finishes. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface EvalReport extends EvalSummary {
  signature: string;
  tenant: string;
  model: string;
  dataset: { source: string; items: number };
  metric: string;
  seed: number;
  concurrency: number;
  retries: number;
  startedAt: string;
  finishedAt: string;
  items: { id: string; results: Record<string, EvalItemResult> }[];
  /**
   * Per version whose tools live in the agent: how its tool calls were answered from what the
   * items' runs recorded (same arguments, by tool name, nothing recorded). Absent otherwise.
   */
  toolReplay?: Record<string, ReplayCounts>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `versions` over `dataset`; see the module header. Throws on errors that no retry fixes (configuration, authentication). */
export async function runEval(
  model: ChatModel,
  input: {
    tenant: string;
    signature: Signature;
    versions: EvalVersion[];
    dataset: EvalDataset;
    metric: Metric;
    /** Runs each version's service tools (as served); without it, no tools. */
    toolRunner?: ToolRunner;
    /**
     * Tool calls the dataset's runs recorded, by trace id: a version whose tools the service cannot
     * call (they live in the agent) gets each item's recorded results (replay-tools.ts).
     */
    recordedToolCalls?: ReadonlyMap<string, readonly RecordedToolCall[]>;
  },
  settings: EvalSettings,
  options: RunEvalOptions = {},
): Promise<EvalReport> {
  const seed = options.seed ?? 1;
  const retries = options.retries ?? 2;
  const concurrency = options.concurrency ?? 4;
  const startedAt = new Date().toISOString();
  const jobs = input.dataset.examples.flatMap((example, item) => input.versions.map((v, column) => ({ example, item, column, v })));
  const results: EvalItemResult[][] = input.dataset.examples.map(() => []);
  let done = 0;
  // Each version with its own tool descriptions: the service's tools when it has them, else the
  // results the items' runs recorded, else none.
  const replays = new Map<number, ReplayTools>();
  const loops = input.versions.map((v, column): ExampleTools | undefined => {
    const service = input.toolRunner?.(v.version, input.tenant);
    const tools = v.version.tools ?? [];
    if (service || tools.length === 0 || !input.recordedToolCalls || input.recordedToolCalls.size === 0) return service;
    const replay = replayTools(tools, input.recordedToolCalls, REPLAY_MAX_ROUNDS);
    replays.set(column, replay);
    return (example) => replay.forExample(example);
  });

  await mapWithConcurrency(jobs, concurrency, async ({ example, item, column, v }) => {
    let attempt = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const t0 = performance.now();
      try {
        const tools = loops[column];
        const loop = typeof tools === "function" ? tools(example) : tools;
        const prediction = loop
          ? await predictWithTools(model, v.version, example.input, loop, { seed, ...(options.signal ? { signal: options.signal } : {}) })
          : await predict(model, v.version, example.input, { seed, ...(options.signal ? { signal: options.signal } : {}) });
        const scored = await input.metric.score(example, prediction.outputs, prediction);
        results[item]![column] = {
          score: scored.score,
          promptTokens: prediction.usage.promptTokens,
          completionTokens: prediction.usage.completionTokens,
          latencyMs: Math.round(performance.now() - t0),
          outputs: prediction.outputs,
          ...(scored.feedback ? { feedback: scored.feedback } : {}),
          attempts: attempt + 1,
        };
        break;
      } catch (e) {
        if (e instanceof InvalidModelOutputError) {
          const d = e.details as { problems: string; usage: { promptTokens: number; completionTokens: number } };
          results[item]![column] = { score: 0, promptTokens: d.usage.promptTokens, completionTokens: d.usage.completionTokens, latencyMs: Math.round(performance.now() - t0), feedback: `invalid answer: ${d.problems}`, attempts: attempt + 1 };
          break;
        }
        const retryable = e instanceof AppError ? e.isRetryable : false;
        if (!retryable) throw e;
        if (attempt >= retries) {
          // A failure the endpoint kept returning counts against the version, and is shown as an error.
          results[item]![column] = { score: 0, promptTokens: 0, completionTokens: 0, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message, attempts: attempt + 1 };
          break;
        }
        await sleep((options.retryDelayMs ?? 250) * 2 ** attempt);
        attempt++;
      }
    }
    options.onProgress?.(++done, jobs.length);
  });

  const summary = summarizeEval(
    input.versions.map((v) => ({ label: v.label, version: v.version.version })),
    results,
    { ...settings, seed },
  );
  return {
    signature: input.signature.name,
    tenant: input.tenant,
    model: model.model,
    dataset: { source: input.dataset.source, items: input.dataset.examples.length },
    metric: input.metric.name,
    seed,
    concurrency,
    retries,
    startedAt,
    finishedAt: new Date().toISOString(),
    ...summary,
    items: input.dataset.examples.map((e, i) => ({ id: e.id, results: Object.fromEntries(input.versions.map((v, c) => [v.label, results[i]![c]!])) })),
    ...(replays.size > 0 ? { toolReplay: Object.fromEntries([...replays].map(([c, r]) => [input.versions[c]!.label, { ...r.counts }])) } : {}),
  };
}
