// OTLP/HTTP ingest fed by the real OpenTelemetry exporters, JSON (@opentelemetry/exporter-trace-otlp-http)
// and protobuf (@opentelemetry/exporter-trace-otlp-proto), with GenAI semantic-convention spans.
import { describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanStatusCode, trace as otelTrace } from "@opentelemetry/api";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import protobuf from "protobufjs";
import { useCollectorServer } from "../support/collector-server.js";
import { getTrace } from "../../src/collector/query/get-trace.js";

const collector = useCollectorServer();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Emits one agent run as GenAI spans: invoke_agent → chat, execute_tool ×2 (one failing). */
type Exporter = OTLPTraceExporter | OTLPProtoTraceExporter;
const jsonExporter = () => new OTLPTraceExporter({ url: `${collector.server.url}/otlp/v1/traces` });
const protobufExporter = () => new OTLPProtoTraceExporter({ url: `${collector.server.url}/otlp/v1/traces` });

async function emitAgentRun(processor: (e: Exporter) => SpanProcessor, makeExporter: () => Exporter = jsonExporter): Promise<{ traceId: string; provider: BasicTracerProvider }> {
  const exporter = makeExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [processor(exporter)] });
  const tracer = provider.getTracer("sre-agent");
  const agent = tracer.startSpan("invoke_agent diagnosis", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "diagnosis", "gen_ai.conversation.id": "conv-1", "gen_ai.provider.name": "openai" } });
  const ctx = otelTrace.setSpan(ROOT_CONTEXT, agent);
  const chat = tracer.startSpan("chat qwen", { attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "qwen2.5-7b", "gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 30 } }, ctx);
  await sleep(5);
  chat.end();
  const pods = tracer.startSpan("execute_tool get_pods", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_pods", "gen_ai.tool.call.arguments": '{"namespace":"hotel"}', "gen_ai.tool.call.result": "5 pods running" } }, ctx);
  await sleep(5);
  pods.end();
  const logs = tracer.startSpan("execute_tool get_logs", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_logs", "gen_ai.tool.call.arguments": '{"pod":"db-0"}' } }, ctx);
  await sleep(5);
  logs.setStatus({ code: SpanStatusCode.ERROR, message: "pod db-0 not found" });
  logs.end();
  agent.setStatus({ code: SpanStatusCode.OK });
  agent.end();
  await provider.forceFlush();
  return { traceId: agent.spanContext().traceId, provider };
}

describe("POST /otlp/v1/traces", () => {
  it("turns GenAI spans from the real OTLP exporter into a trace with tool_call and llm_call steps", async () => {
    const { traceId, provider } = await emitAgentRun((e) => new BatchSpanProcessor(e));
    await provider.shutdown();
    const stored = await getTrace(collector.t.db.pool, "default", traceId);
    expect(stored).toMatchObject({ agent: "diagnosis", outcome: { success: true }, tokens: { prompt: 120, completion: 30 }, metadata: { source: "otlp", conversationId: "conv-1", serviceName: expect.any(String) } });
    expect(stored.steps).toMatchObject([
      { type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 120, completion: 30 } },
      { type: "tool_call", name: "get_pods", arguments: { namespace: "hotel" }, success: true, response: "5 pods running" },
      { type: "tool_call", name: "get_logs", arguments: { pod: "db-0" }, success: false, error: "pod db-0 not found" },
    ]);
  });

  it("merges a trace whose spans arrive in separate exports (children before the agent span)", async () => {
    const { traceId, provider } = await emitAgentRun((e) => new SimpleSpanProcessor(e));
    await provider.shutdown();
    const stored = await getTrace(collector.t.db.pool, "default", traceId);
    expect(stored.agent).toBe("diagnosis");
    expect(stored.steps.map((s) => s.type)).toEqual(["llm_call", "tool_call", "tool_call"]);
    expect(stored.tokens).toEqual({ prompt: 120, completion: 30 });
  });

  it("turns the same spans sent by the real protobuf exporter into the same trace, merging separate exports", async () => {
    for (const processor of [(e: Exporter) => new BatchSpanProcessor(e), (e: Exporter) => new SimpleSpanProcessor(e)]) {
      const { traceId, provider } = await emitAgentRun(processor, protobufExporter);
      await provider.shutdown();
      const stored = await getTrace(collector.t.db.pool, "default", traceId);
      expect(stored).toMatchObject({ id: traceId, agent: "diagnosis", outcome: { success: true }, tokens: { prompt: 120, completion: 30 }, metadata: { source: "otlp", conversationId: "conv-1" } });
      expect(stored.steps).toMatchObject([
        { type: "llm_call", model: "qwen2.5-7b", tokens: { prompt: 120, completion: 30 } },
        { type: "tool_call", name: "get_pods", arguments: { namespace: "hotel" }, success: true, response: "5 pods running" },
        { type: "tool_call", name: "get_logs", arguments: { pod: "db-0" }, success: false, error: "pod db-0 not found" },
      ]);
    }
  });

  it("answers a protobuf export with a protobuf ExportTraceServiceResponse counting rejected spans", async () => {
    // ExportTraceServiceRequest { resource_spans { scope_spans { spans { name: "x" } } } }: a span without ids.
    const body = new Uint8Array([0x0a, 0x07, 0x12, 0x05, 0x12, 0x03, 0x2a, 0x01, 0x78]);
    const res = await fetch(`${collector.server.url}/otlp/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-protobuf/);
    const Response = protobuf.parse(`syntax = "proto3";
      message ExportTraceServiceResponse { PartialSuccess partial_success = 1; }
      message PartialSuccess { int64 rejected_spans = 1; string error_message = 2; }`).root.lookupType("ExportTraceServiceResponse");
    const answer = Response.toObject(Response.decode(new Uint8Array(await res.arrayBuffer())), { longs: Number }) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toMatch(/traceId/);
  });

  it("refuses other media types with 415, and a body that is not OTLP with 400 (protobuf or JSON)", async () => {
    const text = await fetch(`${collector.server.url}/otlp/v1/traces`, { method: "POST", headers: { "content-type": "text/plain" }, body: "spans" });
    expect(text.status).toBe(415);
    const garbage = await fetch(`${collector.server.url}/otlp/v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]) });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as any).error.message).toMatch(/not an OTLP protobuf/);
    const bad = await fetch(`${collector.server.url}/otlp/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ resourceSpans: "x" }) });
    expect(bad.status).toBe(400);
    const partial = await fetch(`${collector.server.url}/otlp/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "abc", spanId: "1", name: "x" }] }] }] }),
    });
    expect(partial.status).toBe(200);
    expect(((await partial.json()) as any).partialSuccess.rejectedSpans).toBe(1);
  });
});
