// cost_usd from config `model_prices` for every source of traces: POST /v1/traces, the SDK's
// client, OTLP spans and imports; a sender's own cost is kept and an unpriced model leaves the
// cost empty (never 0). The orchestrator's runs are covered in test/orchestrator/cost.integration.test.ts.
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, trace as otelTrace } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { useCollectorServer } from "../support/collector-server.js";
import { MetaAgentClient, collectAgentTrace, addLlmCall, addTraceCost, endAgentTrace } from "../../src/index.js";
import { silentLogger } from "../../src/log/logger.js";

const PRICES = {
  "qwen2.5-7b": { input: 0.2, output: 0.6 },
  "gpt-4o*": { input: 2.5, output: 10, cached_input: 1.25 },
  "gpt-4o-mini*": { input: 0.15, output: 0.6 },
};
const collector = useCollectorServer({ MODEL_PRICES: JSON.stringify(PRICES) });

async function costOf(id: string): Promise<number | null> {
  const { rows } = await collector.t.db.pool.query<{ cost_usd: number | null }>("SELECT cost_usd FROM traces WHERE tenant_id = 'default' AND id = $1", [id]);
  expect(rows, `trace ${id} stored`).toHaveLength(1);
  return rows[0]!.cost_usd;
}

const llmTrace = (id: string, steps: unknown[], extra: Record<string, unknown> = {}) => ({ id, agent: "diagnosis", startedAt: "2026-12-01T10:00:00Z", steps, ...extra });

describe("cost_usd from model_prices", () => {
  it("prices each llm_call of a trace sent to POST /v1/traces at its model's price, with cached input tokens at the cached price", async () => {
    const traces = [
      llmTrace("cost-exact", [{ type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 1000, completion: 500 } }]),
      // gpt-4o-mini-2024 matches both patterns: the more specific one wins.
      llmTrace("cost-two-models", [
        { type: "llm_call", model: "gpt-4o-2024-08-06", tokens: { prompt: 1000, completion: 100, cached: 400 } },
        { type: "llm_call", model: "gpt-4o-mini-2024-07-18", tokens: { prompt: 2000, completion: 1000 } },
      ]),
      llmTrace("cost-unpriced", [{ type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 10, completion: 10 } }, { type: "llm_call", model: "llama-3-70b", tokens: { prompt: 10, completion: 10 } }]),
      llmTrace("cost-given", [{ type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 1000, completion: 500 } }], { costUsd: 0.42 }),
      llmTrace("cost-no-tokens", [{ type: "tool_call", name: "get_pods", success: true }]),
      llmTrace("cost-metadata-model", [], { tokens: { prompt: 1_000_000, completion: 0 }, metadata: { model: "qwen2.5-7b" } }),
    ];
    const res = await fetch(`${collector.server.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces }) });
    expect(res.status).toBeLessThan(300);
    expect(await costOf("cost-exact")).toBeCloseTo((1000 * 0.2 + 500 * 0.6) / 1e6, 12);
    expect(await costOf("cost-two-models")).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6 + (2000 * 0.15 + 1000 * 0.6) / 1e6, 12);
    expect(await costOf("cost-unpriced")).toBeNull();
    expect(await costOf("cost-given")).toBe(0.42);
    expect(await costOf("cost-no-tokens")).toBeNull();
    expect(await costOf("cost-metadata-model")).toBeCloseTo(0.2, 12);
  });

  it("prices the llm calls an agent records with the SDK and sends with MetaAgentClient", async () => {
    const client = new MetaAgentClient({ url: collector.server.url, flushIntervalMs: 20, handleExit: false, logger: silentLogger });
    const id = collectAgentTrace({ traceId: "cost-sdk", agent: "diagnosis", sink: client });
    addLlmCall(id, { model: "qwen2.5-7b", tokens: { prompt: 300, completion: 100 } });
    addLlmCall(id, { model: "qwen2.5-7b", tokens: { prompt: 200, completion: 50 } });
    endAgentTrace(id, { success: true });
    await client.flush();
    await client.close();
    expect(await costOf("cost-sdk")).toBeCloseTo((500 * 0.2 + 150 * 0.6) / 1e6, 12);
  });

  it("keeps the cost a caller adds with addTraceCost over the price table", async () => {
    const client = new MetaAgentClient({ url: collector.server.url, flushIntervalMs: 20, handleExit: false, logger: silentLogger });
    const id = collectAgentTrace({ traceId: "cost-sdk-known", agent: "diagnosis", sink: client });
    addLlmCall(id, { model: "qwen2.5-7b", tokens: { prompt: 300, completion: 100 } });
    expect(addTraceCost(id, 0.01)).toBe(true);
    expect(addTraceCost(id, 0.005)).toBe(true);
    endAgentTrace(id, { success: true });
    await client.close();
    expect(await costOf("cost-sdk-known")).toBeCloseTo(0.015, 12);
  });

  it("prices OTLP chat spans from gen_ai.usage.* and reprices a trace whose spans arrive in two exports", async () => {
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.server.url}/otlp/v1/traces` }))] });
    const tracer = provider.getTracer("cost");
    const agent = tracer.startSpan("invoke_agent diagnosis", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "diagnosis" } });
    const ctx = otelTrace.setSpan(ROOT_CONTEXT, agent);
    tracer.startSpan("chat", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 100, "gen_ai.usage.cache_read.input_tokens": 400 } }, ctx).end();
    await provider.forceFlush();
    const traceId = agent.spanContext().traceId;
    expect(await costOf(traceId)).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6, 12);
    tracer.startSpan("chat", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "qwen2.5-7b", "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 500 } }, ctx).end();
    agent.end();
    await provider.shutdown();
    expect(await costOf(traceId)).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6 + (1000 * 0.2 + 500 * 0.6) / 1e6, 12);
  });

  it("prices imported runs", async () => {
    const lines = [llmTrace("cost-import", [{ type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 1000, completion: 0 } }]), llmTrace("cost-import-unpriced", [{ type: "llm_call", model: "mystery", tokens: { prompt: 1000, completion: 0 } }])];
    const res = await fetch(`${collector.server.url}/v1/import`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: lines.map((l) => JSON.stringify(l)).join("\n") });
    expect(res.status).toBeLessThan(300);
    expect(await costOf("cost-import")).toBeCloseTo(0.0002, 12);
    expect(await costOf("cost-import-unpriced")).toBeNull();
  });
});
