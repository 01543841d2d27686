// The tracing SDK (package export "meta-agent/sdk", re-exported by the package root): a pure
// client. Nothing here may reach server code (db, http, ingest, metrics); test/architecture checks
// the import graph. The in-process sink for agents inside the service is in the server entry.
export { traceAgent, type TraceAgentOptions, type AgentDecorator } from "./trace-agent.js";
export { traceTool, type TraceToolOptions, type ToolDecorator } from "./trace-tool.js";
export { recordThinking, recordLlmCall, setOutcome, deferOutcome, type DeferredOutcome, setProblemContext, setTraceMetadata, setTraceTask, currentTraceId } from "./run-api.js";
export { collectAgentTrace, addToolCall, addThinkingStep, addLlmCall, endAgentTrace, type CollectAgentTraceOptions, type EndAgentTraceOptions } from "./manual-api.js";
export { MetaAgentClient, type MetaAgentClientOptions } from "./meta-agent-client.js";
export { parseRetryAfter } from "../../runtime/retry-after.js";
export { configureTracing, type TracingConfig } from "./tracing-config.js";
export type { TraceSink, SinkStats } from "./sink.js";
export { getPrompt, configurePrompts, PromptClient, type PromptClientOptions, type GetPromptOptions, type FallbackPrompt } from "./prompt-client.js";
export { Prompt, type PromptSource, type OpenAiTool } from "./prompt.js";
export type { ServedPrompt, PromptMessage } from "../../domain/served-prompt.js";
export { runSignature, SignatureRunError, type RunSignatureOptions, type SignatureRunResult, type ToolFunction, type OpenAiLikeClient } from "./run-signature.js";
