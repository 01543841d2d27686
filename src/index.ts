// Public API of the `meta-agent` package (import "meta-agent"): what an agent's process needs to
// send its traces to the service. It is the tracing SDK (also "meta-agent/sdk"), its environment
// defaults, the trace contract, the error classes it can throw and the package version. Nothing
// here pulls server code (test/architecture/import-graph.test.ts checks the graph). To embed the
// service itself (startService, recordCandidate, the in-process trace sink...), import
// "meta-agent/server" (src/server.ts).
export * from "./collector/sdk/index.js";
export { readSdkEnv, type SdkEnv } from "./config/sdk-env.js";
export type { TraceInput, Trace, TraceStep, Outcome, ProblemContext } from "./domain/trace.js";
export { AppError, UnrecoverableError, ConfigError, ValidationError, NotFoundError } from "./errors.js";
export { VERSION } from "./version.js";
