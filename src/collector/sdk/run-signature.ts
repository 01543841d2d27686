// `runSignature` in the agent's process: a served prompt with tools, run through the OpenAI
// tool-calling loop with the caller's own client and tool functions. Each model call and tool call
// is recorded on the current traced run (which also records `signature@version`); the final
// answer is parsed against the output fields, with one repair turn quoting what was wrong.
import type { Outcome } from "../../domain/trace.js";
import { parseAnswer } from "../../signature/parse-answer.js";
import { renderRepairPrompt } from "../../signature/render.js";
import { currentRun } from "./context.js";
import { argumentsRecord } from "./json-safe.js";
import type { Prompt } from "./prompt.js";

/** The part of an OpenAI client runSignature uses (`new OpenAI(...)` fits). */
export interface OpenAiLikeClient {
  chat: { completions: { create(body: any, options?: any): Promise<any> } };
}

/** A tool function: receives the parsed arguments the model chose, returns anything JSON-able. */
export type ToolFunction = (args: any) => unknown;

export interface RunSignatureOptions {
  /** Your OpenAI (or OpenAI-compatible) client. */
  openai: OpenAiLikeClient;
  /** Model id. Default: the prompt's `model.model`, else required. */
  model?: string;
  /** The functions behind the prompt's tools, by tool name. A tool the model calls that is missing here is answered with an error message. */
  tools?: Record<string, ToolFunction>;
  /** Most model calls (tool rounds plus the answer). Default 8. */
  maxTurns?: number;
  /** Passed to each model call (abort on shutdown...). */
  signal?: AbortSignal;
}

export interface SignatureRunResult {
  /** The parsed answer (the signature's output fields). */
  outputs: Record<string, unknown>;
  /** `name@version` of the prompt that ran. */
  version: string;
  /** Model calls made. */
  calls: number;
  toolCalls: { name: string; arguments: Record<string, unknown>; ok: boolean }[];
  repaired: boolean;
}

/** The run failed: turns exhausted, or an answer that still did not parse after the repair turn. */
export class SignatureRunError extends Error {
  constructor(message: string, readonly outcome: Outcome = { success: false, feedback: message }) {
    super(message);
    this.name = "SignatureRunError";
  }
}

/** Runs `prompt` on `inputs`: the tool loop until the model answers, then the parsed outputs. */
export async function runSignature(prompt: Prompt, inputs: Record<string, unknown>, options: RunSignatureOptions): Promise<SignatureRunResult> {
  const model = options.model ?? prompt.served.model.model;
  if (!model) throw new SignatureRunError(`runSignature(${prompt.name}): no model (pass options.model or set model.model in the signature)`);
  const messages: any[] = prompt.render(inputs);
  const tools = prompt.tools;
  const maxTurns = options.maxTurns ?? 8;
  const toolCalls: SignatureRunResult["toolCalls"] = [];
  let repaired = false;
  for (let calls = 1; calls <= maxTurns; calls++) {
    const t0 = performance.now();
    const completion = await options.openai.chat.completions.create(
      {
        model,
        messages,
        temperature: prompt.served.model.temperature,
        max_tokens: prompt.served.model.maxTokens,
        ...(tools.length > 0 ? { tools } : {}),
      },
      options.signal ? { signal: options.signal } : undefined,
    );
    const message = completion?.choices?.[0]?.message ?? {};
    currentRun()?.addLlmCall({ model: String(completion?.model ?? model), tokens: { prompt: completion?.usage?.prompt_tokens ?? 0, completion: completion?.usage?.completion_tokens ?? 0 }, durationMs: performance.now() - t0 });
    const requested: any[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
    if (requested.length > 0) {
      messages.push({ role: "assistant", content: message.content ?? null, tool_calls: requested });
      for (const call of requested) messages.push({ role: "tool", tool_call_id: call.id, content: await callTool(call, options.tools ?? {}, toolCalls) });
      continue;
    }
    const content = typeof message.content === "string" ? message.content : "";
    const parsed = parseAnswer(content, prompt.served.outputs);
    if (parsed.ok) return { outputs: parsed.outputs, version: prompt.ref, calls, toolCalls, repaired };
    if (repaired) throw new SignatureRunError(`runSignature(${prompt.ref}): the answer is still invalid after a repair: ${parsed.problems}`);
    repaired = true;
    messages.push({ role: "assistant", content }, { role: "user", content: renderRepairPrompt(parsed.problems) });
  }
  throw new SignatureRunError(`runSignature(${prompt.ref}): no answer within ${maxTurns} model calls`);
}

async function callTool(call: any, fns: Record<string, ToolFunction>, log: SignatureRunResult["toolCalls"]): Promise<string> {
  const name = String(call?.function?.name ?? "");
  let args: Record<string, unknown> = {};
  try {
    args = argumentsRecord([JSON.parse(call?.function?.arguments || "{}")]);
  } catch {
    return record(name, {}, false, `error: the arguments are not valid JSON: ${String(call?.function?.arguments).slice(0, 200)}`);
  }
  const fn = fns[name];
  if (!fn) return record(name, args, false, `error: no tool named "${name}" is available (available: ${Object.keys(fns).join(", ") || "none"})`);
  const started = new Date().toISOString();
  const t0 = performance.now();
  try {
    const result = await fn(args);
    const text = typeof result === "string" ? result : JSON.stringify(result) ?? "null";
    currentRun()?.addToolCall({ name, arguments: args, success: true, response: text, durationMs: performance.now() - t0, startedAt: started });
    log.push({ name, arguments: args, ok: true });
    return text;
  } catch (e) {
    const text = `error: ${(e as Error)?.message ?? String(e)}`;
    currentRun()?.addToolCall({ name, arguments: args, success: false, error: text, durationMs: performance.now() - t0, startedAt: started });
    log.push({ name, arguments: args, ok: false });
    return text;
  }

  function record(n: string, a: Record<string, unknown>, ok: boolean, text: string): string {
    currentRun()?.addToolCall({ name: n, arguments: a, success: ok, error: text });
    log.push({ name: n, arguments: a, ok });
    return text;
  }
}
