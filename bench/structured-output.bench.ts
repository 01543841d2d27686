// What structured outputs and the prompt layout save (issue 26, point 5), on the model simulator
// through the real `openai` SDK and predict():
// - Repairs avoided: the same requests against an endpoint with structured outputs (vLLM's guided
//   decoding / OpenAI's `json_schema`, strict) and against one that refuses them, so predict falls
//   back to `json_object` with the schema in the prompt and a repair turn. Half of the requests
//   belong to families planted to break their first free-form answer (one drops a field, one
//   sends invalid JSON): the figure is what the planted rate costs without guided decoding, not a
//   real model's error rate.
// - Prompt tokens shared: with the stable part of the prompt first (instructions, guidelines,
//   schema, demos) and the inputs last, the share of prompt tokens a prefix cache (vLLM's automatic
//   prefix caching, simulated by whole leading messages) serves from earlier calls; baseline: the
//   same messages with the inputs first, as a template that interpolates them at the top would send.
//   npx tsx bench/structured-output.bench.ts [--quick]
import { pathToFileURL, fileURLToPath } from "node:url";
import OpenAI from "openai";
import { startSimulator, type Simulator } from "../src/simulator/index.js";
import { OpenAIChatModel } from "../src/llm/openai-chat-model.js";
import { loadSignature } from "../src/signature/load-signatures.js";
import { baselineVersion } from "../src/domain/baseline-version.js";
import { predict } from "../src/signature/predict.js";
import { renderMessages } from "../src/signature/render.js";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";

const PROMPTS = fileURLToPath(new URL("../prompts", import.meta.url));
const ANSWER = { faultDetected: true, faultType: "code_bug", rootCause: "the entrypoint exits", nextTools: ["get_logs"] };
const FAMILIES = [
  { id: "crashloop", match: { keywords: ["CrashLoopBackOff"] }, answer: ANSWER, malformedFirst: "missing_field" as const, baseAccuracy: 1 },
  { id: "tls", match: { keywords: ["certificate expired"] }, answer: { ...ANSWER, faultType: "misconfiguration" }, malformedFirst: "invalid_json" as const, baseAccuracy: 1 },
  { id: "oom", match: { keywords: ["OOMKilled"] }, answer: { ...ANSWER, faultType: "resource_exhaustion" }, baseAccuracy: 1 },
  { id: "dns", match: { keywords: ["NXDOMAIN"] }, answer: { ...ANSWER, faultType: "network" }, baseAccuracy: 1 },
];
const PROBLEMS = ["pod api-{i} in CrashLoopBackOff", "TLS certificate expired on ingress-{i}", "container worker-{i} OOMKilled", "lookup of db-{i}.svc returns NXDOMAIN"];

interface Totals {
  requests: number;
  calls: number;
  repairs: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

const empty = (): Totals => ({ requests: 0, calls: 0, repairs: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0 });
const problem = (i: number) => PROBLEMS[i % PROBLEMS.length]!.replace("{i}", String(i));

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const n = options.quick ? 80 : 400;
  const version = baselineVersion((await loadSignature(PROMPTS, "diagnosis")).signature);
  const guided = await startSimulator({ bank: { families: FAMILIES, prefixCaching: true } });
  const plain = await startSimulator({ bank: { families: FAMILIES, structuredOutputs: "json_object", prefixCaching: true } });
  const sims: Simulator[] = [guided, plain];
  try {
    const measure = async (sim: Simulator) => {
      const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
      const t = empty();
      for (let i = 0; i < n; i++) {
        const p = await predict(model, version, { problemDescription: problem(i) });
        t.requests++;
        t.calls += p.calls;
        t.repairs += p.repaired ? 1 : 0;
        t.promptTokens += p.usage.promptTokens;
        t.completionTokens += p.usage.completionTokens;
        t.cachedTokens += p.usage.cachedPromptTokens ?? 0;
      }
      return { totals: t, format: model.structuredOutputs() };
    };
    const withSchema = await measure(guided);
    const withoutSchema = await measure(plain);

    // Baseline layout on the guided endpoint: the same messages, inputs first.
    const client = new OpenAI({ baseURL: guided.baseURL, apiKey: "unused", maxRetries: 0 });
    const inputsFirst = empty();
    for (let i = 0; i < n; i++) {
      const [system, ...rest] = renderMessages(version, { problemDescription: `${problem(i)} (inputs-first layout)` });
      const res = await client.chat.completions.create({ model: "sim-chat", temperature: 0, response_format: { type: "json_object" }, messages: [...rest, system!].map((m) => ({ role: m.role as "system" | "user", content: m.content })) });
      inputsFirst.requests++;
      inputsFirst.promptTokens += res.usage?.prompt_tokens ?? 0;
      inputsFirst.cachedTokens += res.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    }

    const s = withSchema.totals;
    const o = withoutSchema.totals;
    const share = (t: Totals) => (t.promptTokens > 0 ? t.cachedTokens / t.promptTokens : 0);
    const pct = (x: number) => Math.round(x * 1000) / 10;
    const planted = Math.round(n / 2);
    return [
      {
        name: "repairs avoided by structured outputs (json_schema, strict) per 100 requests",
        value: pct((o.repairs - s.repairs) / n),
        unit: "repairs / 100 requests",
        baseline: pct(o.repairs / n),
        ratio: o.repairs > 0 ? Math.round((s.repairs / o.repairs) * 100) / 100 : null,
        target: "informational (issue 26: report the repairs avoided)",
        met: null,
        detail: `${n} requests to the diagnosis signature, ${planted} of them in families planted to break their first free-form answer; json_schema endpoint: ${s.repairs} repairs, ${s.calls} model calls, ${s.promptTokens + s.completionTokens} tokens (format used: ${withSchema.format}); endpoint refusing json_schema (json_object + repair, format used: ${withoutSchema.format}): ${o.repairs} repairs, ${o.calls} calls, ${o.promptTokens + o.completionTokens} tokens; avoided: ${o.repairs - s.repairs} repairs, ${o.calls - s.calls} model calls, ${o.promptTokens + o.completionTokens - (s.promptTokens + s.completionTokens)} tokens (${pct(1 - (s.promptTokens + s.completionTokens) / (o.promptTokens + o.completionTokens))} % of the tokens)`,
      },
      {
        name: "prompt tokens served by a prefix cache (stable part first, inputs last)",
        value: pct(share(s)),
        unit: "% of prompt tokens",
        baseline: pct(share(inputsFirst)),
        ratio: share(inputsFirst) > 0 ? Math.round((share(s) / share(inputsFirst)) * 100) / 100 : null,
        target: "informational (issue 26: report the prompt tokens shared between calls)",
        met: null,
        detail: `simulated automatic prefix caching (whole leading messages); ${n} calls: ${s.cachedTokens} of ${s.promptTokens} prompt tokens shared with earlier calls (${Math.round(s.cachedTokens / n)} per call); baseline, the same messages with the inputs first: ${inputsFirst.cachedTokens} of ${inputsFirst.promptTokens}`,
      },
    ];
  } finally {
    await Promise.all(sims.map((x) => x.close()));
  }
}

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
