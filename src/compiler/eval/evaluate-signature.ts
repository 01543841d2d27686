// The use case behind `meta-agent eval` and POST /v1/signatures/:name/eval: load the signature,
// its metric (or the one asked for), the versions and the dataset, run the harness, and write
// the JSON report when asked.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../../config/index.js";
import type { Database } from "../../db/database.js";
import type { ChatModel } from "../../llm/chat-model.js";
import type { ToolRunner } from "../../signature/complete-with-tools.js";
import { loadRecordedToolCalls } from "../../collector/query/recorded-tool-calls.js";
import { ValidationError } from "../../errors.js";
import type { PromptStore } from "../../registry/prompt-store.js";
import { loadSignature } from "../../signature/load-signatures.js";
import { resolveMetric } from "../metrics/resolve-metric.js";
import { createRng, shuffled } from "../random.js";
import { datasetFromItems, heldOutDataset, readJsonlDataset, type EvalDataset } from "./eval-dataset.js";
import { parseMetricOption } from "./parse-metric-option.js";
import { resolveEvalVersions } from "./resolve-eval-versions.js";
import { runEval, type EvalReport, type EvalSettings, type RunEvalOptions } from "./run-eval.js";

export interface EvaluateSignatureDeps {
  db: Pick<Database, "forTenant">;
  store: Pick<PromptStore, "latest" | "get" | "versions">;
  model: ChatModel;
  promptsDir: string;
  /** Share of traces held out of compiling (config `eval_holdout_fraction`). */
  holdoutFraction: number;
  settings: EvalSettings;
  /** Runs the service's tools of a signature that declares them, as served (the orchestrator's). Without it, predictions run without tools. */
  toolRunner?: ToolRunner;
}

export interface EvaluateSignatureRequest extends Omit<RunEvalOptions, "signal"> {
  tenant: string;
  name: string;
  /** Default: baseline and served. */
  versions?: string[];
  /** A JSONL file, items given inline, or the held-out traces. */
  dataset: { file: string } | { items: unknown[] } | { fromTraces: true };
  /** Overrides the signature's metric (parse-metric-option.ts). */
  metric?: string;
  /** Evaluate a seeded sample of this many items. Default: all. */
  limit?: number;
  /** Writes the JSON report here. */
  out?: string;
  signal?: AbortSignal;
}

/** Settings of the harness from configuration. */
export function evalSettingsFrom(config: Config): { holdoutFraction: number; settings: EvalSettings } {
  return {
    holdoutFraction: config.evalHoldoutFraction,
    settings: {
      objective: { objective: config.promotionObjective, tokenPenalty: config.objectiveTokenPenalty },
      prices: { prompt: config.pricePerMillionPromptTokens, completion: config.pricePerMillionCompletionTokens },
    },
  };
}

export async function evaluateSignature(deps: EvaluateSignatureDeps, request: EvaluateSignatureRequest): Promise<EvalReport> {
  const { signature, file } = await loadSignature(deps.promptsDir, request.name);
  const spec = request.metric ? parseMetricOption(request.metric, signature.metric.threshold) : signature.metric;
  const metric = await resolveMetric({ ...signature, metric: spec }, { signatureFile: file, model: deps.model });
  const versions = await resolveEvalVersions(deps.store, request.tenant, signature, request.versions ?? ["baseline", "served"]);
  let dataset: EvalDataset;
  if ("file" in request.dataset) dataset = await readJsonlDataset(signature, request.dataset.file);
  else if ("items" in request.dataset) dataset = datasetFromItems(signature, request.dataset.items, "inline");
  else dataset = await heldOutDataset(deps.db.forTenant(request.tenant).pool, request.tenant, signature, deps.holdoutFraction);
  if (request.limit !== undefined) {
    if (request.limit < 1) throw new ValidationError("limit: expected a positive number of items");
    const keep = new Set(shuffled(dataset.examples, createRng(request.seed ?? 1)).slice(0, request.limit).map((e) => e.id));
    dataset = { ...dataset, examples: dataset.examples.filter((e) => keep.has(e.id)) };
  }
  // Items from traces replay what their runs recorded for tools the service cannot call.
  const fromTraces = "fromTraces" in request.dataset;
  const recordedToolCalls = fromTraces && versions.some((v) => (v.version.tools ?? []).length > 0) ? await loadRecordedToolCalls(deps.db.forTenant(request.tenant).pool, request.tenant, dataset.examples.map((e) => e.id)) : undefined;
  const report = await runEval(deps.model, { tenant: request.tenant, signature, versions, dataset, metric, ...(deps.toolRunner ? { toolRunner: deps.toolRunner } : {}), ...(recordedToolCalls ? { recordedToolCalls } : {}) }, deps.settings, request);
  if (request.out) {
    await mkdir(path.dirname(path.resolve(request.out)), { recursive: true });
    await writeFile(request.out, JSON.stringify(report, null, 2) + "\n");
  }
  return report;
}
