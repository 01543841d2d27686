// Small helpers shared by the task runner and the sub-task router: trace-tree nodes of calls,
// the text answer of a run, and the inputs a compiled signature declares.
import type { CompiledVersion } from "../domain/compiled-version.js";
import { TaskBudgetExceededError } from "./token-budget.js";
import type { SignatureRun } from "../orchestrator/run-signature.js";
import type { TraceNode } from "./task-result.js";

export const errorOf = (e: unknown) => ({ code: (e as { code?: string }).code ?? "error", message: (e as Error).message ?? String(e) });

/** The node of a call that ran. */
export const nodeOf = (run: SignatureRun, role: TraceNode["role"], extra: Partial<TraceNode> = {}): TraceNode => ({
  traceId: run.traceId,
  role,
  signature: run.signature,
  version: run.version,
  status: "ok",
  tokens: run.usage.totalTokens,
  latencyMs: run.latencyMs,
  ...extra,
});

/** The node of a call that failed (traceId kept: the failed run was traced) or was refused by the budget (no trace). */
export const failedNodeOf = (e: unknown, call: { role: TraceNode["role"]; signature: string; version: string | null; traceId: string | null; latencyMs: number }, extra: Partial<TraceNode> = {}): TraceNode => {
  const refused = e instanceof TaskBudgetExceededError;
  return { traceId: refused ? null : call.traceId, role: call.role, signature: call.signature, version: call.version, status: refused ? "refused" : "failed", tokens: 0, latencyMs: call.latencyMs, error: errorOf(e), ...extra };
};

/** The first string output among `fields`, else the outputs as JSON. */
export const textOf = (outputs: Record<string, unknown>, ...fields: string[]) => {
  for (const f of fields) if (typeof outputs[f] === "string") return outputs[f] as string;
  return JSON.stringify(outputs);
};

/** Keeps only the inputs the compiled signature declares (a recompiled signature may drop one). */
export const declared = (compiled: CompiledVersion, values: Record<string, unknown>) => Object.fromEntries(compiled.inputs.filter((f) => values[f.name] !== undefined).map((f) => [f.name, values[f.name]]));
