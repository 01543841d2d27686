// Builders for compiler tests: signature traces and analyzer patterns inserted by SQL (the
// collector and the analyzer are built elsewhere; the compiler only reads their tables).
import { createHash } from "node:crypto";
import type pg from "pg";
import type { BankInput } from "../../src/simulator/index.js";
import type { Database } from "../../src/db/database.js";
import type { ChatModel } from "../../src/llm/chat-model.js";
import { HashingEmbedder } from "../../src/llm/hashing-embedder.js";
import { silentLogger } from "../../src/log/logger.js";
import type { PromptStore } from "../../src/registry/prompt-store.js";
import type { RegistryDeps } from "../../src/registry/registry-deps.js";
import type { CompileAndRecordDeps } from "../../src/compiler/compile-and-record.js";

export interface TraceFixture {
  id: string;
  signature: string;
  agent?: string;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  success: boolean | null;
  score?: number | null;
  feedback?: string | null;
  /** A correction (`outcome.expected`, column `expected_output`). Default none. */
  expected?: Record<string, unknown>;
  /** Default: 2026-01-01 plus one minute per trace inserted in the batch. */
  startedAt?: string;
  /** The task key (`traces.task`). Default none. */
  task?: string;
  /** The version the run was served with (`traces.prompt_version`). Default none. */
  promptVersion?: string;
}

export async function ensureTenant(pool: pg.Pool, tenant: string): Promise<void> {
  await pool.query(`INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING`, [tenant]);
}

/** Inserts signature traces for a tenant (creating the tenant). */
export async function insertTraces(pool: pg.Pool, tenant: string, traces: TraceFixture[]): Promise<void> {
  await ensureTenant(pool, tenant);
  for (const [i, t] of traces.entries()) {
    const startedAt = t.startedAt ?? new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
    const hash = createHash("sha256").update(JSON.stringify(t)).digest("hex");
    await pool.query(
      `INSERT INTO traces (tenant_id, id, agent, signature, input, output, success, score, feedback, started_at, content_hash, task, prompt_version, expected_output)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [tenant, t.id, t.agent ?? t.signature, t.signature, JSON.stringify(t.input), t.output === null ? null : JSON.stringify(t.output), t.success, t.score ?? null, t.feedback ?? null, startedAt, hash, t.task ?? null, t.promptVersion ?? null, t.expected ? JSON.stringify(t.expected) : null],
    );
  }
}

export interface PatternFixture {
  id: string;
  key: string;
  type?: string;
  description?: string;
  recommendations: string[];
  confidence: number;
  actionable: boolean;
  /** The analyzer's statistics (e.g. `evidenceSummary`). Default `{}`. */
  stats?: Record<string, unknown>;
}

/** Inserts a finished analysis run with its patterns. */
export async function insertAnalysisRun(pool: pg.Pool, run: { tenant: string; agent: string; id: string; finishedAt?: string; patterns: PatternFixture[] }): Promise<void> {
  const finishedAt = run.finishedAt ?? "2026-01-02T00:00:00.000Z";
  await pool.query(
    `INSERT INTO analysis_runs (id, tenant_id, agent, status, mode, started_at, finished_at) VALUES ($1, $2, $3, 'completed', 'full', $4, $4)`,
    [run.id, run.tenant, run.agent, finishedAt],
  );
  for (const p of run.patterns) {
    await pool.query(
      `INSERT INTO patterns (id, tenant_id, run_id, agent, type, key, description, recommendations, support, frequency, effect, baseline, confidence, actionable, stats)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 10, 0.5, 0.4, 0.4, $9, $10, $11)`,
      [p.id, run.tenant, run.id, run.agent, p.type ?? "success_pattern", p.key, p.description ?? p.key, JSON.stringify(p.recommendations), p.confidence, p.actionable, JSON.stringify(p.stats ?? {})],
    );
  }
}

/** Diagnosis traces of one incident family: `ok` successful ones (gold output) and `failed` ones (wrong output). */
export function diagnosisTraces(options: {
  prefix: string;
  symptom: string;
  gold: Record<string, unknown>;
  wrong: Record<string, unknown>;
  ok: number;
  failed: number;
}): TraceFixture[] {
  const make = (i: number, success: boolean): TraceFixture => ({
    id: `${options.prefix}-${success ? "ok" : "fail"}-${i}`,
    signature: "diagnosis",
    input: { problemDescription: `${options.symptom} on pod ${options.prefix}-${i}-${(i * 7919) % 1000}`, namespace: `ns-${i % 5}` },
    output: success ? options.gold : options.wrong,
    success,
    score: success ? 1 : 0,
    ...(success ? {} : { feedback: `expected ${JSON.stringify(options.gold.faultType)}` }),
  });
  return [...Array.from({ length: options.ok }, (_, i) => make(i, true)), ...Array.from({ length: options.failed }, (_, i) => make(i, false))];
}

export const OOM_GUIDELINE = "OOMKilled means the container exceeded its memory limit: report resource_exhaustion.";
export const OOM = { faultDetected: true, faultType: "resource_exhaustion", rootCause: "the container exceeds its memory limit", nextTools: [] };
export const OOM_WRONG = { faultDetected: true, faultType: "code_bug", rootCause: "a crash in the application", nextTools: [] };
export const DNS = { faultDetected: true, faultType: "network", rootCause: "the service name does not resolve", nextTools: [] };
export const DNS_WRONG = { faultDetected: true, faultType: "dependency_failure", rootCause: "the database is down", nextTools: [] };

/** A simulator bank for the diagnosis signature: what fixes each incident family. */
export const DIAGNOSIS_BANK: BankInput = {
  families: [
    // Fixed only by the planted pattern's guideline (or instructions that say the same). Not
    // scoped to a system prompt, so the reflection request (which quotes failures) gets its proposal.
    { id: "oom", match: { keywords: ["OOMKilled"] }, answer: OOM, wrongAnswer: OOM_WRONG, fixedBy: ["OOMKilled means the container exceeded its memory limit"], proposals: ["Diagnose from the evidence. Remember: OOMKilled means the container exceeded its memory limit, which is resource_exhaustion."] },
    // Fixed by any demo of the family (its input names the symptom).
    { id: "dns", match: { keywords: ["NXDOMAIN"], system: "kubernetes" }, answer: DNS, wrongAnswer: DNS_WRONG, fixedBy: ["nxdomain"] },
    // Answers with a missing field until told which one.
    { id: "crashloop", match: { keywords: ["CrashLoopBackOff"], system: "kubernetes" }, answer: { faultDetected: true, faultType: "code_bug", rootCause: "the entrypoint exits", nextTools: ["get_logs"] }, malformedFirst: "missing_field" },
  ],
};


/**
 * Plants the diagnosis scenario for a tenant: two incident families (OOM fixed by the planted
 * pattern's guideline, DNS fixed by a demo), and an analysis run with the actionable pattern and
 * a weak, non-actionable one.
 */
export async function plantDiagnosisScenario(pool: pg.Pool, tenant: string): Promise<void> {
  await insertTraces(pool, tenant, [
    ...diagnosisTraces({ prefix: "oom", symptom: "container OOMKilled, restarts climbing", gold: OOM, wrong: OOM_WRONG, ok: 24, failed: 6 }),
    ...diagnosisTraces({ prefix: "dns", symptom: "lookup orders-db: NXDOMAIN in logs", gold: DNS, wrong: DNS_WRONG, ok: 24, failed: 6 }),
  ]);
  await insertAnalysisRun(pool, {
    tenant,
    agent: "diagnosis",
    id: `run-1-${tenant}`,
    patterns: [
      { id: `pat-oom-${tenant}`, key: "failure_pattern:oom-misread", recommendations: [OOM_GUIDELINE], confidence: 0.93, actionable: true },
      { id: `pat-weak-${tenant}`, key: "success_pattern:before:get_metrics>get_logs", recommendations: ["Call get_metrics before get_logs."], confidence: 0.55, actionable: false },
    ],
  });
}

/**
 * compile-and-record on the simulator with the settings the search-optimizer tests share (dev set
 * of 20, budget of 400 calls); `heuristics`: draw from the shared library (at most that many).
 */
export function simulatorCompileDeps(options: { db: Database; store: PromptStore; model: ChatModel; promptsDir: string; registry: RegistryDeps; heuristics?: number }): CompileAndRecordDeps {
  return {
    compile: {
      db: options.db,
      store: options.store,
      model: options.model,
      embedder: new HashingEmbedder(),
      logger: silentLogger,
      ...(options.heuristics !== undefined ? { heuristics: { maxPerVersion: options.heuristics } } : {}),
      settings: { promptsDir: options.promptsDir, defaultOptimizer: "search", devSetSize: 20, minImprovement: 0.02, promotionConfidence: 0.95, confidenceThreshold: 0.7, maxLlmCalls: 400, maxTokens: 2_000_000, maxDemos: 4, backupOriginalPrompts: true },
    },
    registry: options.registry,
  };
}
