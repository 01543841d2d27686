// Turns a decision into an OpenAI chat completion: JSON or text answers, tool calls, judge
// scores, proposed instructions, deterministic generic answers, and deterministic usage counts.
import { countChatTokens, countTokens, contentText } from "../llm/token-count.js";
import { Ajv, type ValidateFunction } from "ajv";
import { shortHash } from "./hash.js";
import type { ChatDecision } from "./match-request.js";
import { renderAnswer, substitute } from "./render-answer.js";
import { wantsJson } from "./wants-json.js";
import type { ChatCompletionRequest } from "./wire.js";

interface Choice {
  content: string | null;
  toolCalls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  finishReason: "stop" | "tool_calls";
}

/** Builds the completion body for a decided request. */
/** `cachedTokens`: prompt tokens read from a prefix cache (reported as `usage.prompt_tokens_details.cached_tokens`). */
export function buildCompletion(req: ChatCompletionRequest, decision: ChatDecision, seq: number, cachedTokens?: number): Record<string, unknown> {
  const n = req.n ?? 1;
  const choices = Array.from({ length: n }, (_, i) => choiceFor(req, decision, i));
  const promptTokens = countChatTokens(req.messages, req.tools);
  const completionTokens = choices.reduce(
    (sum, c) => sum + countTokens(c.content ?? "") + (c.toolCalls ?? []).reduce((s, t) => s + countTokens(t.function.name + t.function.arguments), 0),
    0,
  );
  return {
    id: `chatcmpl-sim-${seq}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    system_fingerprint: "meta-agent-simulator",
    choices: choices.map((c, index) => ({
      index,
      message: { role: "assistant", content: c.content, ...(c.toolCalls ? { tool_calls: c.toolCalls } : {}) },
      finish_reason: c.finishReason,
      logprobs: null,
    })),
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens, ...(cachedTokens !== undefined ? { prompt_tokens_details: { cached_tokens: Math.min(cachedTokens, promptTokens) } } : {}) },
  };
}

function choiceFor(req: ChatCompletionRequest, decision: ChatDecision, index: number): Choice {
  const json = wantsJson(req);
  switch (decision.kind) {
    case "judge": {
      const scale = judgeScale(req);
      const score = Math.round((scale.min + decision.score * (scale.max - scale.min)) * 1000) / 1000;
      const reasoning = decision.family
        ? `Compared with the expected outcome of "${decision.family.id}".`
        : "No reference for this task; neutral score.";
      return stop(json ? JSON.stringify({ score, reasoning }) : `Score: ${score}\nReasoning: ${reasoning}`);
    }
    case "proposal": {
      const all = req.messages.map((m) => contentText(m.content)).join("\n");
      const start = parseInt(shortHash(`${all}\n${req.seed ?? 0}`), 16) % decision.candidates.length;
      const instructions = decision.candidates[(start + index) % decision.candidates.length]!;
      return stop(json ? JSON.stringify({ instructions }) : instructions);
    }
    case "tool_calls": {
      const calls = decision.calls
        .map((c, i) => ({
          // Distinct per round (a client matches results to calls by id), the same on a replay.
          id: `call_${shortHash(`${decision.family.id}\n${decision.taskText}\n${decision.round}\n${i}`)}`,
          type: "function" as const,
          function: { name: c.name, arguments: JSON.stringify(substitute(c.arguments, decision.captures)) },
        }));
      return { content: null, toolCalls: calls, finishReason: "tool_calls" };
    }
    case "answer": {
      const text = renderAnswer(decision, json);
      // Guided decoding: whatever the model "meant", what it emits satisfies the schema.
      const schema = req.response_format?.type === "json_schema" ? req.response_format.json_schema?.schema : undefined;
      return stop(schema ? JSON.stringify(conform(JSON.parse(text) as unknown, schema, shortHash(text))) : text);
    }
    case "generic": {
      const all = req.messages.map((m) => contentText(m.content)).join("\n");
      const tag = shortHash(all);
      if (!json) return stop(`Simulated answer ${tag}.`);
      const schema = req.response_format?.json_schema?.schema;
      return stop(JSON.stringify(schema ? fromSchema(schema, tag) : { answer: `simulated answer ${tag}` }));
    }
  }
}

const stop = (content: string): Choice => ({ content, finishReason: "stop" });

/** Judge scale from the prompt ("score from 1 to 10"); default 0..1. */
function judgeScale(req: ChatCompletionRequest): { min: number; max: number } {
  const all = req.messages.map((m) => contentText(m.content)).join("\n");
  const m = /\b([01])\s*(?:-|–|to)\s*(5|10|100)\b/.exec(all);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : { min: 0, max: 1 };
}

const ajv = new Ajv({ strict: false });
/**
 * Compiled validators by schema text. Every request carries its schema as a new object, and Ajv
 * caches what it compiles by object: validating each request's schema directly compiled it anew
 * (~0.7 ms a call) and kept every copy (3.4 GB after a long benchmark). Bounded: cleared when full.
 */
const validators = new Map<string, ValidateFunction>();
const MAX_VALIDATORS = 256;

function validates(schema: Record<string, unknown>, value: unknown): boolean {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    if (validators.size >= MAX_VALIDATORS) {
      validators.clear();
      ajv.removeSchema();
    }
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate(value);
}

/** `value` where it satisfies `schema`; otherwise each property that does not is replaced by a value that does. */
function conform(value: unknown, schema: Record<string, unknown>, tag: string): unknown {
  if (validates(schema, value)) return value;
  if (schema.type !== "object" || !value || typeof value !== "object" || Array.isArray(value)) return fromSchema(schema, tag);
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const given = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, k in given && validates(s, given[k]) ? given[k] : fromSchema(s, tag, k)]));
}

/** A deterministic value satisfying a (simple) JSON Schema. */
function fromSchema(schema: Record<string, unknown>, tag: string, name = "value"): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) return fromSchema(schema.anyOf[0] as Record<string, unknown>, tag, name);
  switch (schema.type) {
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, tag, k)]));
    }
    case "array":
      return [];
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    default:
      return `simulated ${name} ${tag}`;
  }
}

