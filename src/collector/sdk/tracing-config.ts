// Process-wide SDK settings: the default sink used by decorators and wrappers that were not
// given one. Without configureTracing, a MetaAgentClient is created on first use from
// META_AGENT_URL / META_AGENT_API_KEY (default http://127.0.0.1:8080).
import { readSdkEnv } from "../../config/sdk-env.js";
import { DEFAULT_MAX_TOOL_RESPONSE_CHARS } from "../trace-content.js";
import type { TraceSink } from "./sink.js";
import { MetaAgentClient } from "./meta-agent-client.js";

export interface TracingConfig {
  /** Where traces go. Default: a MetaAgentClient for META_AGENT_URL. */
  sink?: TraceSink;
  /** Tool responses are cut to this many characters before sending. Default 10000. */
  maxToolResponseChars?: number;
}

let config: TracingConfig = {};
let lazySink: TraceSink | undefined;

/** Sets the default sink and limits for every traced agent in this process. */
export function configureTracing(next: TracingConfig): void {
  config = { ...config, ...next };
}

export function defaultSink(): TraceSink {
  if (config.sink) return config.sink;
  lazySink ??= new MetaAgentClient({ url: readSdkEnv().url ?? "http://127.0.0.1:8080", apiKey: readSdkEnv().apiKey });
  return lazySink;
}

export function maxToolResponseChars(): number {
  return config.maxToolResponseChars ?? DEFAULT_MAX_TOOL_RESPONSE_CHARS;
}

/** Sends a finished trace; a sink failure must never reach the agent. */
export function deliver(sink: TraceSink | undefined, trace: Parameters<TraceSink["send"]>[0]): void {
  try {
    (sink ?? defaultSink()).send(trace);
  } catch {
    // The sink contract says send never throws; this guards custom sinks that do.
  }
}
