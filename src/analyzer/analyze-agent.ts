// The analyzer use case: bring an agent's per-trace features up to date (only traces new or
// updated since the last run), mine and score the window, and store a versioned run. The
// learning cycle, the CLI and HTTP all call analyzeAgent / analyzeAll.
import { listTraceAgents } from "../collector/query/trace-targets.js";
import { stableTraceSeq } from "../collector/trace-write-barrier.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { clearTraceFeatures, extractTraceFeatures } from "./extract-trace-features.js";
import { loadTraceFeatures } from "./trace-features.js";
import { minePatterns } from "./mine-patterns.js";
import { saveAnalysisRun, type StoredPattern } from "./save-analysis-run.js";
import { summarizePatterns, type PatternSummary } from "./summarize-patterns.js";
import { withTransaction } from "../db/transaction.js";
import type { Embedder } from "../llm/embedder.js";
import { groupIntents, type IntentGrouping } from "./group-intents.js";

export interface AnalyzeOptions {
  tenant: string;
  agent: string;
  /** Days of traces to analyze, by start time; 0 or undefined analyzes all. */
  windowDays?: number;
  /** `min_traces_for_analysis`: labelled traces needed before anything is actionable. Default 10. */
  minTraces?: number;
  /** `confidence_threshold`: minimum confidence of an actionable pattern. Default 0.7. */
  confidenceThreshold?: number;
  /** Re-extract every trace instead of only new and updated ones. Default false. */
  full?: boolean;
  /**
   * Intent grouping of traces without a task key: their inputs are embedded with `embedder` and
   * clustered (at most `sampleSize` of them, `analyzer_intent_sample`, default 2000). Without it
   * such traces form one group and findings are adjusted for run length only.
   */
  intents?: { embedder: Embedder; sampleSize?: number };
  /** End of the window (tests pin it). Default: now. */
  now?: Date;
  logger?: Logger;
  /**
   * Stops the run between its stages (a learning cycle being aborted). The run is one
   * transaction, so an abort rolls everything back: no half-stored run, watermark unchanged.
   */
  signal?: AbortSignal;
}

export interface AnalysisResult {
  runId: string;
  agent: string;
  mode: "full" | "incremental";
  /** Traces (new or updated) read from `traces` in this run. */
  tracesRead: number;
  /** Traces in the window. */
  totalTraces: number;
  /** Traces in the window with a known outcome. */
  labelledTraces: number;
  candidates: number;
  patterns: StoredPattern[];
  summary: PatternSummary;
  durationMs: number;
}

/** Analyzes one agent's traces and stores a new run with its patterns. */
export async function analyzeAgent(db: Database, options: AnalyzeOptions): Promise<AnalysisResult> {
  db = db.forTenant(options.tenant);
  const logger = options.logger ?? silentLogger;
  const startedAt = new Date();
  const now = options.now ?? startedAt;
  const minTraces = options.minTraces ?? 10;
  const confidenceThreshold = options.confidenceThreshold ?? 0.7;
  const since = options.windowDays ? new Date(now.getTime() - options.windowDays * 86_400_000) : undefined;
  const { tenant, agent } = options;
  try {
    // Before the transaction: embedding inputs takes seconds and uses the pool (the embedded
    // database has one backend, held by an open transaction).
    const ti = performance.now();
    const intents = await intentsOf(db, options, since, logger);
    const intentMs = Math.round(performance.now() - ti);
    // Before the transaction: every trace up to it is committed, so the run's reads see them all.
    const upToSeq = await stableTraceSeq(db.pool);
    const result = await withTransaction(db.pool, async (client): Promise<AnalysisResult> => {
      // One run per agent at a time: the watermark and the feature rows move together.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('meta-agent:analyzer'), hashtext($1 || '/' || $2))`, [tenant, agent]);
      const state = await client.query<{ last_seq: string }>(`SELECT last_seq::text FROM analyzer_state WHERE tenant_id = $1 AND agent = $2`, [tenant, agent]);
      const mode = options.full || state.rows.length === 0 ? "full" : "incremental";
      const fromSeq = mode === "full" ? 0n : BigInt(state.rows[0]!.last_seq);
      if (mode === "full") await clearTraceFeatures(client, tenant, agent);
      const t0 = performance.now();
      const extracted = await extractTraceFeatures(client, { tenant, agent, afterSeq: fromSeq, upToSeq });
      const t1 = performance.now();
      options.signal?.throwIfAborted();
      const traces = await loadTraceFeatures(client, { tenant, agent, since });
      const t2 = performance.now();
      options.signal?.throwIfAborted();
      const mined = minePatterns(traces, { minTraces, confidenceThreshold, ...(intents ? { intents } : {}) });
      const t3 = performance.now();
      options.signal?.throwIfAborted();
      const saved = await saveAnalysisRun(
        client,
        {
          tenant,
          agent,
          mode,
          windowStart: since ?? null,
          windowEnd: now,
          fromSeq,
          toSeq: extracted.maxSeq,
          tracesRead: extracted.tracesRead,
          totalTraces: traces.length,
          startedAt,
          stats: {
            labelledTraces: mined.labelledTraces,
            candidates: mined.candidates,
            minTraces,
            confidenceThreshold,
            windowDays: options.windowDays ?? 0,
            adjustment: mined.adjustment,
            ...(intents ? { intents: { k: intents.k, silhouettes: intents.silhouettes, eligible: intents.eligible, sampled: intents.sampled, withoutText: intents.withoutText, model: intents.model } } : {}),
            timingsMs: { intents: intentMs, ...(intents ? { embed: intents.embedMs, cluster: intents.clusterMs } : {}), extract: Math.round(t1 - t0), load: Math.round(t2 - t1), mine: Math.round(t3 - t2) },
          },
        },
        mined.patterns,
        mined.strata,
      );
      await client.query(
        `INSERT INTO analyzer_state (tenant_id, agent, last_seq, aggregates, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_id, agent) DO UPDATE SET last_seq = EXCLUDED.last_seq, aggregates = EXCLUDED.aggregates, updated_at = now()`,
        [tenant, agent, extracted.maxSeq.toString(), JSON.stringify({ lastRunId: saved.runId, featureRows: "analyzer_trace_features" })],
      );
      options.signal?.throwIfAborted();
      return {
        runId: saved.runId,
        agent,
        mode,
        tracesRead: extracted.tracesRead,
        totalTraces: traces.length,
        labelledTraces: mined.labelledTraces,
        candidates: mined.candidates,
        patterns: saved.patterns,
        summary: summarizePatterns(saved.patterns, confidenceThreshold),
        durationMs: Math.round(performance.now() - t0),
      };
    });
    logger.info({ name: "analysis-finished", tenant, agent, runId: result.runId, mode: result.mode, tracesRead: result.tracesRead, totalTraces: result.totalTraces, patterns: result.summary.totalPatterns, actionable: result.summary.actionablePatterns, durationMs: result.durationMs }, "analysis run finished");
    return result;
  } catch (e) {
    if (options.signal?.aborted) throw e; // asked to stop: the caller logs it, it is no failure
    logger.error({ name: "analysis-failed", tenant, agent, err: e }, "analysis run failed");
    throw e;
  }
}

/** Intent groups for the run, or undefined (not asked for, too few inputs, or the embedder failed: logged, the run goes on without). */
async function intentsOf(db: Database, options: AnalyzeOptions, since: Date | undefined, logger: Logger): Promise<IntentGrouping | undefined> {
  if (!options.intents) return undefined;
  try {
    return await groupIntents(db, { tenant: options.tenant, agent: options.agent, ...(since ? { since } : {}), embedder: options.intents.embedder, ...(options.intents.sampleSize !== undefined ? { sampleSize: options.intents.sampleSize } : {}), logger });
  } catch (e) {
    options.signal?.throwIfAborted();
    logger.warn({ name: "intent-grouping-failed", tenant: options.tenant, agent: options.agent, err: e }, "intent grouping failed; findings are adjusted for task keys and run length only");
    return undefined;
  }
}

export type AnalyzeAllOptions = Omit<AnalyzeOptions, "agent"> & { agents?: string[] };

/** Analyzes every agent of the tenant that has traces (or the given ones), one after another. */
export async function analyzeAll(db: Database, options: AnalyzeAllOptions): Promise<AnalysisResult[]> {
  db = db.forTenant(options.tenant);
  const agents = options.agents ?? (await listTraceAgents(db.pool, options.tenant));
  const results: AnalysisResult[] = [];
  for (const agent of agents) results.push(await analyzeAgent(db, { ...options, agent }));
  return results;
}
