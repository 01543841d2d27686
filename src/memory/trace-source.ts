// The trace data memory/ reads (inputs to embed, the successful traces a search returns), as a
// port: the collector owns `traces` and sits above memory/, so whoever builds memory's deps
// passes the collector's implementation (collector/query/create-trace-source.ts).
import type { Trace } from "../domain/trace.js";

/** What memory/ reads of a trace; `seq` moves on every update (an updated trace is embedded again). */
export type MemoryTrace = Pick<Trace, "id" | "agent" | "signature" | "promptVersion" | "problem" | "input" | "output" | "outcome"> & { seq: bigint };

export interface TraceSelection {
  agent?: string;
  signature?: string;
  /** Only these traces. Default: every trace of the agent / signature. */
  traceIds?: readonly string[];
}

export interface TraceSource {
  /** Id and `seq` of the tenant's traces in the selection, by `seq`. */
  listTraceSeqs(tenant: string, selection: TraceSelection): Promise<{ id: string; seq: bigint }[]>;
  /** The tenant's traces among `ids` that exist, in no particular order. */
  readTraces(tenant: string, ids: readonly string[]): Promise<MemoryTrace[]>;
}
