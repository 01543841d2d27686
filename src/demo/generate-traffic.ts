// Agent traffic for the demo: the diagnosis agent (the signature's current version on the
// simulator) handles incidents; each becomes a trace, closed with the fault type the engineer
// confirmed, through the same ingest path as POST /v1/traces.
import { nameBasedUuid } from "../domain/name-based-id.js";
import type { Database } from "../db/database.js";
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { ChatModel } from "../llm/chat-model.js";
import { predict } from "../signature/predict.js";
import { ingestTraces } from "../collector/ingest/ingest-traces.js";
import { demoCostUsd, incident } from "./demo-scenario.js";

/**
 * The trace id of incident `i` in `tenant`, derived from both, so the demo is reproducible: the
 * train/dev split hashes trace ids, and the simulator answers the same prompt the same way, so
 * every run learns the same version.
 */
export const demoTraceId = (tenant: string, i: number): string => nameBasedUuid(`meta-agent demo\u0000${tenant}\u0000${i}`);

export interface TrafficResult {
  runs: number;
  correct: number;
  tokens: number;
}

/** Runs incidents `from`..`from+count-1` through `version` and stores their traces. */
export async function generateTraffic(db: Database, model: ChatModel, version: CompiledVersion, options: { from: number; count: number; tenant?: string }): Promise<TrafficResult> {
  const tenant = options.tenant ?? "default";
  const traces: unknown[] = [];
  let correct = 0;
  let tokens = 0;
  for (let i = options.from; i < options.from + options.count; i++) {
    const { report, faultType, toolCalls } = incident(i);
    const started = new Date();
    // The agent looks at the cluster's events first (a simulated tool that times out now and
    // then), then asks the model: the steps a trace page shows and the analyzer mines.
    const eventsMs = 80 + ((i * 37) % 160);
    const eventsFailed = i % 6 === 5;
    const t0 = performance.now();
    const prediction = await predict(model, version, { incidentReport: report });
    const modelMs = Math.round(performance.now() - t0);
    const right = prediction.outputs["faultType"] === faultType;
    if (right) correct++;
    tokens += prediction.usage.promptTokens + prediction.usage.completionTokens;
    traces.push({
      id: demoTraceId(tenant, i),
      agent: version.name,
      signature: version.name,
      promptVersion: version.version,
      input: { incidentReport: report },
      output: { faultType },
      outcome: { success: true, score: right ? 1 : 0, feedback: right ? "diagnosis confirmed" : `agent said ${String(prediction.outputs["faultType"])}` },
      startedAt: started.toISOString(),
      endedAt: new Date().toISOString(),
      tokens: { prompt: prediction.usage.promptTokens, completion: prediction.usage.completionTokens },
      costUsd: demoCostUsd(prediction.usage.promptTokens, prediction.usage.completionTokens),
      metadata: { agentAnswer: prediction.outputs["faultType"] },
      steps: [
        eventsFailed
          ? { type: "tool_call", name: "get_events", arguments: { namespace: "shop", since: "15m" }, success: false, error: "timeout after 10s", durationMs: 10_000 }
          : { type: "tool_call", name: "get_events", arguments: { namespace: "shop", since: "15m" }, success: true, response: report, durationMs: eventsMs },
        { type: "llm_call", model: "sim-chat", tokens: { prompt: prediction.usage.promptTokens, completion: prediction.usage.completionTokens }, durationMs: modelMs },
        ...toolCalls.map((c) => ({ type: "tool_call" as const, ...c })),
      ],
    });
  }
  const result = await ingestTraces(db.forTenant(tenant).pool, tenant, traces);
  if (result.rejected > 0) throw new Error(`demo traces rejected: ${JSON.stringify(result.results.filter((r) => r.status === "invalid" || r.status === "failed").slice(0, 3))}`);
  return { runs: options.count, correct, tokens };
}
