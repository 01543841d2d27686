// The simulator's task bank: families of tasks with their correct and wrong answers, what fixes
// them (a guideline phrase or a demo fragment anywhere in the prompt), tool calls, malformed first
// answers, latency and faults. Tests and the demo plant behaviour here; zod-validated, YAML-loadable.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { formatZodIssues } from "../domain/format-issues.js";
import { ValidationError } from "../errors.js";

export const FAULT_MODES = ["http_500", "rate_limit", "hang", "garbage", "invalid_completion"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export const FaultSpecSchema = z.object({
  /**
   * http_500: answer an HTTP error (`status`, default 500); rate_limit: 429 with Retry-After;
   * hang: answer only after `hangMs`; garbage: a 200 whose body is not JSON;
   * invalid_completion: a 200 JSON body that is not a completion (no choices).
   */
  mode: z.enum(FAULT_MODES),
  /** How many matching requests fail before the fault clears itself (default: until cleared). */
  times: z.number().int().positive().optional(),
  /** HTTP status of `http_500` faults (default 500). */
  status: z.number().int().min(400).max(599).default(500),
  /** Retry-After of `rate_limit` faults, in seconds (default 1). */
  retryAfterSeconds: z.number().min(0).default(1),
  /** How long a `hang` holds the request before answering normally, in ms (default 120 000). */
  hangMs: z.number().int().min(0).default(120_000),
  /** Only requests of this family (default: every request). */
  family: z.string().optional(),
  /** Which endpoint the fault hits (default: both). */
  endpoint: z.enum(["chat", "embeddings", "any"]).default("any"),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;

const AnswerSchema = z.record(z.string(), z.unknown()).refine((a) => Object.keys(a).length > 0, "needs at least one output field");

const MatchSchema = z
  .object({
    /** Every keyword must appear in the task message (case-insensitive). */
    keywords: z.array(z.string().min(1)).optional(),
    /** At least one of these must appear in the task message (case-insensitive). */
    anyKeywords: z.array(z.string().min(1)).optional(),
    /** Case-insensitive regular expression on the task message; `$1`, `$<name>` usable in answers. */
    regex: z.string().optional(),
    /** Case-insensitive regular expression the system prompt must match (scopes a family to a signature). */
    system: z.string().optional(),
    /** Case-insensitive regular expression the request's model must match (models of different skill, for routing). */
    model: z.string().optional(),
  })
  .refine((m) => (m.keywords?.length ?? 0) > 0 || (m.anyKeywords?.length ?? 0) > 0 || m.regex !== undefined, "needs keywords, anyKeywords or regex");

const ToolCallSchema = z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) });

export const FamilySchema = z.object({
  id: z.string().min(1),
  description: z.string().optional(),
  match: MatchSchema,
  /** The correct output object; keys are the signature's output field names. */
  answer: AnswerSchema,
  /** The output given when the model gets it wrong (default: strings "unknown", numbers 0, booleans negated). */
  wrongAnswer: AnswerSchema.optional(),
  /** Share of inputs answered correctly without help, decided by hashing the input (default 0). */
  baseAccuracy: z.number().min(0).max(1).default(0),
  /**
   * Texts whose presence in the prompt outside the task message (instructions, guidelines, demos,
   * the descriptions of the offered tools) makes the answer correct.
   */
  fixedBy: z.array(z.string().min(1)).default([]),
  /**
   * Texts whose presence in the prompt outside the task message sets the share of inputs answered
   * correctly instead of baseAccuracy (first match wins; fixedBy wins over these): plants a
   * version that is partly better, or worse, than another.
   */
  accuracyWhen: z.array(z.object({ phrase: z.string().min(1), accuracy: z.number().min(0).max(1) })).default([]),
  /** Tool calls made first when the request offers tools of these names (`$1` / `$<name>` in string arguments: the regex's captures). */
  toolCalls: z.array(ToolCallSchema).default([]),
  /**
   * Tool calls made instead of `toolCalls` when a `fixedBy` phrase is in the prompt: a model that
   * took the fix to heart calls its tools differently (e.g. a program that no longer throws).
   * Default: the same calls as without the fix.
   */
  fixedToolCalls: z.array(ToolCallSchema).optional(),
  /**
   * Rounds of those tool calls before the answer: the simulated model calls them again after each
   * round of tool results until it has made this many rounds. `unbounded`: it never stops calling
   * them (a runaway model, for the caller's round limit). Default 1.
   */
  toolRounds: z.union([z.number().int().min(1), z.literal("unbounded")]).default(1),
  /** First answer is broken: `invalid_json` or `missing_field` (true means missing_field). A repair message quoting the error gets the correct answer. */
  malformedFirst: z.union([z.boolean(), z.enum(["invalid_json", "missing_field"])]).default(false),
  /** Added delay before answering, in ms. */
  latencyMs: z.number().int().min(0).default(0),
  /** Candidate instructions returned when asked to propose improved instructions for this family. */
  proposals: z.array(z.string().min(1)).default([]),
  /** Always-on fault for this family's requests. */
  fault: FaultSpecSchema.omit({ family: true }).optional(),
});
export type Family = z.infer<typeof FamilySchema>;

export const BankSchema = z
  .object({
    /** Model ids listed by /v1/models (any model name is accepted). */
    models: z.array(z.string().min(1)).default(["sim-chat", "sim-embed"]),
    families: z.array(FamilySchema).default([]),
    /** Candidate instructions when no matching family has proposals. */
    proposals: z.array(z.string().min(1)).default([]),
    judge: z.object({ defaultScore: z.number().min(0).max(1).default(0.5) }).default({ defaultScore: 0.5 }),
    /** Default /v1/embeddings dimension when a request sets no `dimensions` (default 384). */
    embeddingDimension: z.number().int().min(8).max(8192).default(384),
    /** Always-on global faults. */
    faults: z.array(FaultSpecSchema).default([]),
    /**
     * What the simulated server does with `response_format: json_schema`: `json_schema` honours
     * it as vLLM's guided decoding and OpenAI's structured outputs do (the answer always parses,
     * so malformedFirst families answer well-formed; a strict schema that is not closed is a 400),
     * `json_object` refuses it with a 400, as servers without structured outputs do.
     */
    structuredOutputs: z.enum(["json_schema", "json_object"]).default("json_schema"),
    /**
     * Report vLLM's automatic prefix caching: `usage.prompt_tokens_details.cached_tokens` counts the
     * tokens of the leading messages a previous request already sent (whole messages, like cache
     * blocks). Off by default.
     */
    prefixCaching: z.boolean().default(false),
  })
  .superRefine((bank, ctx) => {
    const seen = new Set<string>();
    bank.families.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: "custom", path: ["families", i, "id"], message: `duplicate family id "${f.id}"` });
      seen.add(f.id);
      for (const key of ["regex", "system", "model"] as const) {
        const source = f.match[key];
        if (source === undefined) continue;
        try {
          new RegExp(source, "i");
        } catch (e) {
          ctx.addIssue({ code: "custom", path: ["families", i, "match", key], message: `invalid regular expression: ${(e as Error).message}` });
        }
      }
    });
  });
export type Bank = z.infer<typeof BankSchema>;
export type BankInput = z.input<typeof BankSchema>;

/** Validates a bank object; errors name the JSON path (e.g. `families[0].answer`). */
export function parseBank(input: unknown, source = "bank"): Bank {
  const parsed = BankSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ValidationError(`${source}: ${formatZodIssues(parsed.error.issues)}`, { issues: parsed.error.issues });
  return parsed.data;
}

/** Parses a YAML (or JSON) bank text. */
export function parseBankYaml(text: string, source = "bank"): Bank {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ValidationError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  return parseBank(doc, source);
}

/** Reads and validates a bank file. */
export function loadBankFile(file: string): Bank {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ValidationError(`${file}: cannot read bank file: ${(e as Error).message}`);
  }
  return parseBankYaml(text, file);
}
