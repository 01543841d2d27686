// The tracing SDK's public surface (re-exported by the package root).
export { traceAgent, type TraceAgentOptions, type AgentDecorator } from "./trace-agent.js";
export { traceTool, type TraceToolOptions, type ToolDecorator } from "./trace-tool.js";
export { recordThinking, recordLlmCall, setOutcome, setProblemContext, setTraceMetadata, setTraceTask, currentTraceId } from "./run-api.js";
export { collectAgentTrace, addToolCall, addThinkingStep, addLlmCall, endAgentTrace, type CollectAgentTraceOptions, type EndAgentTraceOptions } from "./manual-api.js";
export { MetaAgentClient, parseRetryAfter, type MetaAgentClientOptions } from "./meta-agent-client.js";
export { createInProcessSink, type InProcessSinkOptions } from "./in-process-sink.js";
export { configureTracing, type TracingConfig } from "./tracing-config.js";
export type { TraceSink, SinkStats } from "./sink.js";
