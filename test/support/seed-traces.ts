// Synthetic traces for analyzer tests and benchmarks, and a fast bulk inserter that writes rows
// exactly as ingest does (traces + trace_steps, `seq` from its sequence, bumped on update).
import type pg from "pg";
// The product's seeded PRNG, so test data is reproducible with the same generator.
import { createRng } from "../../src/compiler/random.js";
import { withTransaction } from "../../src/db/transaction.js";

export interface SyntheticStep {
  type: "tool_call" | "thinking" | "llm_call";
  name?: string;
  success?: boolean;
  error?: string;
  durationMs?: number;
  reasoning?: string;
  justification?: string;
  toolChoice?: string;
}

export interface SyntheticTrace {
  id: string;
  agent: string;
  task?: string;
  input?: unknown;
  startedAt: Date;
  success: boolean | null;
  durationMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  steps: SyntheticStep[];
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Default `diagnosis`. */
  agent?: string;
  /** Tool names drawn uniformly. Default eight SRE-style tools. */
  tools?: string[];
  /** Tool calls per trace. Default 10. */
  toolCallsPerTrace?: number;
  /** Probability that a tool call fails, per tool name. Default 0.05 for every tool. */
  toolErrorRate?: Record<string, number>;
  /** Probability of a thinking step before each tool call. Default 0. */
  thinkingRate?: number;
  /** Success probability of a finished trace. Default: 0.5 regardless of its content. */
  successProbability?: (trace: SyntheticTrace) => number;
  /** Rewrites a trace's tool sequence before its outcome is drawn (plants patterns). */
  shape?: (tools: string[], random: () => number, index: number) => string[];
  /** Prefix of trace ids. Default `t`. */
  idPrefix?: string;
  /** Task keys: trace i gets `task-<i mod tasks>`. Default: none. */
  tasks?: number;
  /** Start time of the first trace; traces are one second apart. Default: one day ago. */
  start?: Date;
}

export const DEFAULT_TOOLS = ["get_pods", "get_logs", "get_metrics", "describe_pod", "get_events", "check_services", "get_user_details", "book_reservation"];

/** Generates reproducible traces; with the defaults, outcomes are pure noise. */
export function generateTraces(options: GenerateOptions): SyntheticTrace[] {
  const random = createRng(options.seed);
  const tools = options.tools ?? DEFAULT_TOOLS;
  const perTrace = options.toolCallsPerTrace ?? 10;
  const start = (options.start ?? new Date(Date.now() - 86_400_000)).getTime();
  const out: SyntheticTrace[] = [];
  for (let i = 0; i < options.count; i++) {
    let names = Array.from({ length: perTrace }, () => tools[Math.floor(random() * tools.length)]!);
    if (options.shape) names = options.shape(names, random, i);
    const steps: SyntheticStep[] = [];
    let duration = 0;
    for (const name of names) {
      if (options.thinkingRate && random() < options.thinkingRate) {
        steps.push({ type: "thinking", reasoning: `I should call ${name} to narrow the problem down`, toolChoice: name, justification: random() < 0.5 ? `${name} shows the current state` : undefined });
      }
      const ok = random() >= (options.toolErrorRate?.[name] ?? 0.05);
      const ms = Math.round(50 + random() * 450);
      duration += ms;
      steps.push({ type: "tool_call", name, success: ok, durationMs: ms, ...(ok ? {} : { error: `${name} failed` }) });
    }
    const trace: SyntheticTrace = {
      id: `${options.idPrefix ?? "t"}${i}`,
      agent: options.agent ?? "diagnosis",
      ...(options.tasks ? { task: `task-${i % options.tasks}` } : {}),
      startedAt: new Date(start + i * 1000),
      success: null,
      durationMs: duration,
      promptTokens: 500 + Math.floor(random() * 1000),
      completionTokens: 100 + Math.floor(random() * 200),
      costUsd: 0,
      steps,
    };
    trace.costUsd = (trace.promptTokens + trace.completionTokens) * 1e-6;
    trace.success = random() < (options.successProbability?.(trace) ?? 0.5);
    out.push(trace);
  }
  return out;
}

/** True when tool `a` is called before a later call of tool `b`. */
export function calls(trace: SyntheticTrace, a: string, b?: string): boolean {
  const names = trace.steps.filter((s) => s.type === "tool_call").map((s) => s.name!);
  const first = names.indexOf(a);
  if (b === undefined) return first >= 0;
  return first >= 0 && names.lastIndexOf(b) > first;
}

/** Inserts traces and their steps in large `unnest` batches, as ingest would store them. */
export async function insertTraces(pool: pg.Pool, tenant: string, traces: SyntheticTrace[], batchSize = 5000): Promise<void> {
  await pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`, [tenant]);
  for (let from = 0; from < traces.length; from += batchSize) {
    const batch = traces.slice(from, from + batchSize);
    await withTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO traces (tenant_id, id, agent, success, started_at, ended_at, duration_ms, prompt_tokens, completion_tokens, cost_usd, step_count, content_hash, task, input)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bool[], $5::timestamptz[], $6::timestamptz[], $7::float8[], $8::int[], $9::int[], $10::float8[], $11::int[], $12::text[], $13::text[], $14::jsonb[])`,
        [
          tenant,
          batch.map((t) => t.id),
          batch.map((t) => t.agent),
          batch.map((t) => t.success),
          batch.map((t) => t.startedAt.toISOString()),
          batch.map((t) => new Date(t.startedAt.getTime() + t.durationMs).toISOString()),
          batch.map((t) => t.durationMs),
          batch.map((t) => t.promptTokens),
          batch.map((t) => t.completionTokens),
          batch.map((t) => t.costUsd),
          batch.map((t) => t.steps.length),
          batch.map((t) => `synthetic-${t.id}`),
          batch.map((t) => t.task ?? null),
          batch.map((t) => (t.input === undefined ? null : JSON.stringify(t.input))),
        ],
      );
      const cols = { trace: [] as string[], idx: [] as number[], type: [] as string[], name: [] as (string | null)[], success: [] as (boolean | null)[], error: [] as (string | null)[], ms: [] as (number | null)[], reasoning: [] as (string | null)[], choice: [] as (string | null)[], justification: [] as (string | null)[] };
      for (const t of batch) {
        t.steps.forEach((s, idx) => {
          cols.trace.push(t.id);
          cols.idx.push(idx);
          cols.type.push(s.type);
          cols.name.push(s.name ?? null);
          cols.success.push(s.success ?? null);
          cols.error.push(s.error ?? null);
          cols.ms.push(s.durationMs ?? null);
          cols.reasoning.push(s.reasoning ?? null);
          cols.choice.push(s.toolChoice ?? null);
          cols.justification.push(s.justification ?? null);
        });
      }
      await client.query(
        `INSERT INTO trace_steps (tenant_id, trace_id, idx, type, name, success, error, duration_ms, reasoning, tool_choice, justification)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::float8[], $9::text[], $10::text[], $11::text[])`,
        [tenant, cols.trace, cols.idx, cols.type, cols.name, cols.success, cols.error, cols.ms, cols.reasoning, cols.choice, cols.justification],
      );
    });
  }
}

/** Sets outcomes later, as ingest does when an outcome arrives: bumps `seq` and `updated_at`. */
export async function setOutcomes(pool: pg.Pool, tenant: string, outcomes: { id: string; success: boolean | null }[]): Promise<void> {
  await pool.query(
    `UPDATE traces t SET success = u.success, seq = nextval(pg_get_serial_sequence('traces', 'seq')), updated_at = now()
     FROM unnest($2::text[], $3::bool[]) AS u(id, success) WHERE t.tenant_id = $1 AND t.id = u.id`,
    [tenant, outcomes.map((o) => o.id), outcomes.map((o) => o.success)],
  );
}
