// The public view of a `learning_cycles` row (API, CLI, the cycle's own result).

/** A `learning_cycles` row as CYCLE_COLUMNS selects it (learning reads its table by SQL). */
export interface CycleRow {
  id: string;
  tenantId: string;
  trigger: string;
  agent: string | null;
  status: string;
  reason: string | null;
  tracesRead: number;
  patternsFound: number;
  candidatesTried: number;
  llmCalls: number;
  tokens: number;
  versionsProduced: unknown;
  verdicts: unknown;
  timings: unknown;
  errors: unknown;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The select list that reads a `learning_cycles` row as a CycleRow. */
export const CYCLE_COLUMNS = `id, tenant_id AS "tenantId", trigger, agent, status, reason, traces_read AS "tracesRead", patterns_found AS "patternsFound",
  candidates_tried AS "candidatesTried", llm_calls AS "llmCalls", tokens, versions_produced AS "versionsProduced", verdicts, timings, errors,
  started_at AS "startedAt", finished_at AS "finishedAt"`;

export interface VerdictRecord {
  signature: string;
  agent: string;
  newTraces: number;
  verdict: "promoted" | "rejected" | "no_candidate" | "skipped" | "error";
  reason: string;
  parentVersion?: string | null;
  candidateVersion?: string | null;
  score?: number | null;
  parentScore?: number | null;
}

export interface VersionRecord {
  signature: string;
  version: string;
  parent: string | null;
  commit: string;
  branch: string;
  mode: "auto" | "review";
}

export interface CycleError {
  signature?: string;
  phase: string;
  code: string;
  message: string;
  retryable: boolean;
}

/** `aborted`: stopped on purpose (SIGTERM/SIGINT, shutdown); `abandoned`: its process died. */
export type CycleStatus = "running" | "completed" | "idle" | "failed" | "aborted" | "abandoned";

export interface CycleView {
  id: string;
  tenant: string;
  trigger: string;
  agent: string | null;
  status: CycleStatus;
  reason: string | null;
  tracesRead: number;
  patternsFound: number;
  candidatesTried: number;
  llmCalls: number;
  tokens: number;
  versionsProduced: VersionRecord[];
  verdicts: VerdictRecord[];
  timings: Record<string, unknown>;
  errors: CycleError[];
  startedAt: string;
  finishedAt: string | null;
}

export function toCycleView(row: CycleRow): CycleView {
  return {
    id: row.id,
    tenant: row.tenantId,
    trigger: row.trigger,
    agent: row.agent,
    status: row.status as CycleStatus,
    reason: row.reason,
    tracesRead: row.tracesRead,
    patternsFound: row.patternsFound,
    candidatesTried: row.candidatesTried,
    llmCalls: row.llmCalls,
    tokens: row.tokens,
    versionsProduced: row.versionsProduced as unknown as VersionRecord[],
    verdicts: row.verdicts as unknown as VerdictRecord[],
    timings: row.timings as Record<string, unknown>,
    errors: row.errors as unknown as CycleError[],
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
