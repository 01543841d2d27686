// Turns a signature's metric spec into a Metric, with defaults taken from the signature.
import path from "node:path";
import { ValidationError } from "../../errors.js";
import type { ChatModel } from "../../llm/chat-model.js";
import type { Signature } from "../../domain/signature.js";
import type { Metric } from "./metric.js";
import { exactMatch } from "./exact-match.js";
import { f1 } from "./f1.js";
import { numericTolerance } from "./numeric-tolerance.js";
import { jsonFieldsMatch } from "./json-fields-match.js";
import { llmJudge } from "./llm-judge.js";
import { customMetric, importMetricFunction, outcomeMetric } from "./module-metrics.js";

export interface ResolveMetricOptions {
  /** File the signature came from; metric modules resolve relative to it. */
  signatureFile: string;
  /** Needed by llm_judge. */
  model?: ChatModel;
}

/** Builds the signature's metric; errors name `metric.<field>` and the signature. */
export async function resolveMetric(signature: Signature, options: ResolveMetricOptions): Promise<Metric> {
  const spec = signature.metric;
  const where = `${signature.name}: metric`;
  const outputNames = signature.outputs.map((o) => o.name);
  const checkField = (f: string) => {
    if (!outputNames.includes(f)) throw new ValidationError(`${where}.field: "${f}" is not an output (outputs: ${outputNames.join(", ")})`);
    return f;
  };
  switch (spec.name) {
    case "exact_match":
      return exactMatch(checkField(spec.field ?? outputNames[0]!));
    case "numeric_tolerance":
      return numericTolerance(checkField(spec.field ?? outputNames[0]!), { absolute: spec.tolerance ?? 1e-6, relative: spec.relativeTolerance ?? 0 });
    case "f1":
      return f1(checkField(spec.field ?? outputNames[0]!));
    case "json_fields_match":
      return jsonFieldsMatch((spec.fields ?? outputNames).map(checkField));
    case "llm_judge":
      if (!spec.rubric) throw new ValidationError(`${where}.rubric: llm_judge needs a rubric`);
      if (!options.model) throw new ValidationError(`${where}: llm_judge needs a model; configure LLM_BASE_URL and LLM_MODEL`);
      return llmJudge(options.model, spec.rubric);
    case "outcome":
    case "custom": {
      if (!spec.module) throw new ValidationError(`${where}.module: ${spec.name} needs a module exporting the function`);
      const baseDir = path.dirname(options.signatureFile);
      const fn = await importMetricFunction(spec.module, baseDir);
      const file = path.resolve(baseDir, spec.module);
      return spec.name === "outcome" ? outcomeMetric(fn, file) : customMetric(fn, file);
    }
  }
}
