// The simulator's side of structured outputs and prefix caching: whether a request's
// `response_format: json_schema` is accepted (and, when strict, whether its schema is one a strict
// server takes), and how many prompt tokens a server with automatic prefix caching would have read
// from its cache.
import { countChatTokens } from "../llm/token-count.js";
import type { Bank } from "./bank.js";
import { shortHash } from "./hash.js";
import type { ChatCompletionRequest } from "./wire.js";

/** Why a strict schema is refused, or undefined when it is fine (OpenAI's rules for strict mode). */
export function strictSchemaProblem(schema: Record<string, unknown>, at = "schema"): string | undefined {
  if (Array.isArray(schema.anyOf)) {
    for (const [i, s] of (schema.anyOf as Record<string, unknown>[]).entries()) {
      const p = strictSchemaProblem(s, `${at}.anyOf[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (schema.type === "object") {
    if (schema.additionalProperties !== false) return `${at}: additionalProperties must be false in strict mode`;
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [k, s] of Object.entries(props)) {
      if (!required.has(k)) return `${at}.properties.${k}: every property must be required in strict mode`;
      const p = strictSchemaProblem(s, `${at}.properties.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  if (schema.type === "array" && schema.items && typeof schema.items === "object") return strictSchemaProblem(schema.items as Record<string, unknown>, `${at}.items`);
  if (schema.type === undefined && !Array.isArray(schema.enum)) return `${at}: a type is required in strict mode`;
  return undefined;
}

/** A 400's message when the request's json_schema response format cannot be honoured; undefined otherwise. */
export function refuseStructuredOutput(bank: Bank, req: ChatCompletionRequest): string | undefined {
  if (req.response_format?.type !== "json_schema") return undefined;
  if (bank.structuredOutputs === "json_object") return "response_format: json_schema is not supported by this server; use json_object";
  const spec = req.response_format.json_schema;
  if (!spec?.schema) return "response_format.json_schema.schema is required";
  if (spec.strict) return strictSchemaProblem(spec.schema);
  return undefined;
}

/** Leading-message prefixes seen so far, by hash; cleared when full, as a cache would evict. */
export class PrefixCache {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 100_000) {}

  /** Prompt tokens of the leading messages that an earlier request sent identically; records this request's prefixes. */
  cachedTokens(req: ChatCompletionRequest): number {
    let hash = "";
    let cached = 0;
    let hit = true;
    // The last message is never served from the cache: the model has to read something new.
    req.messages.slice(0, -1).forEach((m, i) => {
      hash = shortHash(`${hash}\n${m.role}\n${JSON.stringify(m.content)}`);
      if (hit && this.seen.has(hash)) cached += countChatTokens(req.messages.slice(i, i + 1));
      else hit = false;
      if (this.seen.size >= this.capacity) this.seen.clear();
      this.seen.add(hash);
    });
    return cached;
  }
}
