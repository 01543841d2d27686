// Metrics loaded from user modules: `custom` (a function returning a number or
// `{ score, feedback }`) and `outcome` (a replay function for replayable agents returning
// `{ success, score?, feedback? }`). Return values are validated: a bad module fails loudly.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { ValidationError } from "../../errors.js";
import type { Example } from "../example.js";
import type { Prediction } from "../../signature/predict.js";
import type { Metric, MetricResult } from "./metric.js";
import { runProgram, type ProgramResult, type RunProgramOptions } from "../../sandbox/run-program.js";

/**
 * What the service hands a metric module as its fourth argument. `runProgram` is the service's
 * sandbox (a V8 isolate with no I/O: no network, files, processes or environment; bounded time
 * and memory): a module that replays generated code must run it there, never in its own process.
 */
export interface MetricModuleContext {
  runProgram(code: string, options?: Pick<RunProgramOptions, "timeoutMs" | "maxOutputBytes" | "maxHeapMb">): Promise<ProgramResult>;
}

type ModuleFn = (example: Example, prediction: Record<string, unknown>, trace: Prediction | undefined, context: MetricModuleContext) => unknown;

const MODULE_CONTEXT: MetricModuleContext = Object.freeze({ runProgram: (code: string, options?: Pick<RunProgramOptions, "timeoutMs" | "maxOutputBytes" | "maxHeapMb">) => runProgram(code, options) });

const CustomResult = z.union([z.number().min(0).max(1), z.object({ score: z.number().min(0).max(1), feedback: z.string().optional() })]);
const OutcomeResult = z.object({ success: z.boolean(), score: z.number().min(0).max(1).optional(), feedback: z.string().optional() });

/** Imports the module's default export (or its `metric` export) as a function. */
export async function importMetricFunction(modulePath: string, baseDir: string): Promise<ModuleFn> {
  const file = path.resolve(baseDir, modulePath);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError(`metric.module: cannot load ${file}: ${(e as Error).message}`);
  }
  const fn = mod.default ?? mod.metric;
  if (typeof fn !== "function") throw new ValidationError(`metric.module: ${file} must export a function as default (or as "metric")`);
  return fn as ModuleFn;
}

const invalid = (file: string, value: unknown, issues: string) => new ValidationError(`metric module ${file} returned ${JSON.stringify(value)}: ${issues}`);

/** custom: `(example, prediction, trace?, context) => number | { score, feedback }`, possibly async. */
export function customMetric(fn: ModuleFn, file: string, needsGold = false): Metric {
  return {
    name: "custom",
    needsGold,
    async score(example, prediction, trace): Promise<MetricResult> {
      const value = await fn(example, prediction, trace, MODULE_CONTEXT);
      const parsed = CustomResult.safeParse(value);
      if (!parsed.success) throw invalid(file, value, "expected a number in [0, 1] or { score, feedback }");
      return typeof parsed.data === "number" ? { score: parsed.data } : parsed.data;
    },
  };
}

/** outcome: replays the prediction in the agent's environment; score defaults to 1 on success. */
export function outcomeMetric(fn: ModuleFn, file: string): Metric {
  return {
    name: "outcome",
    needsGold: false,
    async score(example, prediction, trace): Promise<MetricResult> {
      const value = await fn(example, prediction, trace, MODULE_CONTEXT);
      const parsed = OutcomeResult.safeParse(value);
      if (!parsed.success) throw invalid(file, value, "expected { success, score?, feedback? }");
      const { success, score, feedback } = parsed.data;
      return { score: score ?? (success ? 1 : 0), ...(feedback ? { feedback } : {}) };
    },
  };
}
