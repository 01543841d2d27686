// Model prices (config `model_prices`) and the cost of a run: USD per million tokens for input,
// output and, where a provider discounts it, cached input. A model is priced by its exact name,
// else by the most specific pattern (`*` matches any run of characters) that matches it. A run
// whose tokens are known but whose model has no price gets no cost at all (never 0): an empty
// cost means "unknown", a 0 would claim the run was free.
import { z } from "zod";
import type { TraceData } from "./trace.js";

const usdPerMillion = z.number({ message: "expected a price in USD per million tokens" }).nonnegative("expected a price of 0 or more");

export const ModelPriceSchema = z.strictObject({
  /** USD per million prompt (input) tokens. */
  input: usdPerMillion,
  /** USD per million completion (output) tokens. */
  output: usdPerMillion,
  /** USD per million prompt tokens served from the provider's prompt cache. Default: the input price. */
  cached_input: usdPerMillion.optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** Model name or pattern → price. */
export const PriceTableSchema = z.record(z.string().trim().min(1, "expected a model name or pattern"), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** Tokens of one model call; `cached` is the part of `prompt` read from the prompt cache. */
export interface CallTokens {
  prompt: number;
  completion: number;
  cached?: number | undefined;
}

const patternCache = new WeakMap<PriceTable, Array<{ pattern: string; re: RegExp; price: ModelPrice }>>();

/** Patterns of a table, most specific (most literal characters) first. */
function patternsOf(table: PriceTable) {
  let list = patternCache.get(table);
  if (!list) {
    list = Object.entries(table)
      .filter(([p]) => p.includes("*"))
      .map(([pattern, price]) => ({ pattern, price, re: new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i") }))
      .sort((a, b) => b.pattern.replace(/\*/g, "").length - a.pattern.replace(/\*/g, "").length);
    patternCache.set(table, list);
  }
  return list;
}

/** The price of `model`: exact name (case-insensitive), else the most specific matching pattern. */
export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const lower = model.toLowerCase();
  for (const [name, price] of Object.entries(table)) if (!name.includes("*") && name.toLowerCase() === lower) return price;
  return patternsOf(table).find((p) => p.re.test(model))?.price;
}

/** USD of one call, or undefined when the model has no price. */
export function costOfCall(table: PriceTable, model: string, tokens: CallTokens): number | undefined {
  const price = priceOf(table, model);
  if (!price) return undefined;
  const cached = Math.min(tokens.cached ?? 0, tokens.prompt);
  const usd = ((tokens.prompt - cached) * price.input + cached * (price.cached_input ?? price.input) + tokens.completion * price.output) / 1_000_000;
  // Rounded to a millionth of a cent: sums of float products otherwise print as 0.00030000000000000003.
  return Math.round(usd * 1e8) / 1e8;
}

/** The model a trace without llm_call steps names in its metadata (SDK `model`, OTLP `gen_ai.request.model`). */
function modelOfMetadata(metadata: Record<string, unknown>): string | undefined {
  for (const key of ["model", "gen_ai.response.model", "gen_ai.request.model"]) {
    const v = metadata[key];
    if (typeof v === "string" && v.trim() !== "") return v;
  }
  return undefined;
}

/**
 * The cost of a trace from its tokens: the sum over its llm_call steps (each at its own model's
 * price), or, without such steps, the trace's tokens at the price of the model its metadata
 * names; 0 for a run answered from the semantic cache. Undefined when no tokens are known or any
 * call with tokens has no price.
 */
export function costOfTrace(table: PriceTable, trace: Pick<TraceData, "steps" | "tokens" | "metadata">): number | undefined {
  const calls = trace.steps.filter((s) => s.type === "llm_call");
  if (calls.length > 0) {
    let total = 0;
    let known = false;
    for (const call of calls) {
      if (call.tokens.prompt === 0 && call.tokens.completion === 0) continue;
      const usd = costOfCall(table, call.model, call.tokens);
      if (usd === undefined) return undefined;
      total += usd;
      known = true;
    }
    return known ? Math.round(total * 1e8) / 1e8 : undefined;
  }
  // A run answered from the semantic cache made no model call: its cost is known, and it is 0.
  if (trace.metadata["cacheHit"] === true) return 0;
  if (trace.tokens.prompt === 0 && trace.tokens.completion === 0) return undefined;
  const model = modelOfMetadata(trace.metadata);
  return model ? costOfCall(table, model, trace.tokens) : undefined;
}

/** The trace with `costUsd` filled in from the table, unless its sender already gave one. */
export function withCost<T extends Pick<TraceData, "steps" | "tokens" | "metadata" | "costUsd">>(table: PriceTable | undefined, trace: T): T {
  if (trace.costUsd !== undefined || !table || Object.keys(table).length === 0) return trace;
  const costUsd = costOfTrace(table, trace);
  return costUsd === undefined ? trace : { ...trace, costUsd };
}
