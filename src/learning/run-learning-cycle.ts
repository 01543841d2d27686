// One learning cycle — the single entry point cron, HTTP and the CLI call. For each signature
// with at least `min_traces_for_analysis` new traces: analyze → compile → evaluate → gate →
// commit (auto or review mode, inside deps.compile), then record the cycle in
// `learning_cycles` and the guideline history in `guideline_events`.
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { AppError, UnrecoverableError } from "../errors.js";
import { DEFAULT_TENANT } from "../domain/tenant-id.js";
import { recordCycle, recordLlmUsage, recordVerdict } from "../observability/metrics.js";
import { claimCycle } from "./claim-cycle.js";
import { abortReason, CycleAbortedError, throwIfAborted } from "./cycle-aborted.js";
import { CYCLE_COLUMNS, toCycleView, type CycleRow, type CycleError, type CycleStatus, type CycleView, type VerdictRecord, type VersionRecord } from "./cycle-record.js";
import type { LearningDeps, LearningTarget } from "./learning-deps.js";
import { advanceWatermark, countNewTraces } from "./new-traces.js";
import { stableTraceSeq } from "../collector/trace-write-barrier.js";
import { diffGuidelines, recordGuidelineEvents } from "./record-guideline-events.js";
import { SpentThenFailedError } from "../heuristics/spent-then-failed.js";

export interface LearningCycleContext {
  db: Database;
  logger: Logger;
  deps: LearningDeps;
  config: Pick<Config, "minTracesForAnalysis" | "maxLlmCallsPerCycle">;
}

export interface RunLearningCycleOptions {
  /** Tenant whose traces are learned from. Default `default`. */
  tenant?: string;
  /** Only this agent's signatures (`meta-agent learn --agent NAME`). Default: all. */
  agent?: string;
  /** Who started the cycle: cron, http, cli, continuous, demo. */
  trigger: string;
  /**
   * Stops the cycle (SIGTERM/SIGINT, service shutdown): model calls are aborted, the signal is
   * checked between steps and before each commit, and the cycle is recorded as `aborted` with
   * the signal's reason. A commit already under way completes. Default: none.
   */
  signal?: AbortSignal;
}

export type LearningCycleResult =
  | { status: "skipped"; reason: string; runningCycleId?: string }
  | { status: Exclude<CycleStatus, "running" | "abandoned">; cycle: CycleView; /** The scheduler may retry (failed, and nothing unrecoverable). */ retryable: boolean };

/** Runs one cycle for a tenant unless another process is already running one. */
export async function runLearningCycle(ctx: LearningCycleContext, options: RunLearningCycleOptions): Promise<LearningCycleResult> {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const { logger, deps, config } = ctx;
  // Everything the cycle reads and writes is the tenant's: row-level security for the tenant.
  const db = ctx.db.forTenant(tenant);
  const t0 = performance.now();
  const claim = await claimCycle(db, { tenant, trigger: options.trigger, agent: options.agent, logger });
  if (!claim.claimed) {
    logger.info({ name: "cycle-skipped", tenant, trigger: options.trigger, reason: claim.reason }, `learning cycle skipped: ${claim.reason}`);
    recordCycle(tenant, "skipped", (performance.now() - t0) / 1000);
    return { status: "skipped", reason: claim.reason, ...(claim.runningCycleId ? { runningCycleId: claim.runningCycleId } : {}) };
  }
  const cycleId = claim.claim.cycleId;
  const log = logger.child({ cycleId, tenant });
  log.info({ name: "cycle-start", trigger: options.trigger, agent: options.agent }, "learning cycle started");
  const totals = { tracesRead: 0, patternsFound: 0, candidatesTried: 0, llmCalls: 0, tokens: 0 };
  const verdicts: VerdictRecord[] = [];
  const versions: VersionRecord[] = [];
  const errors: CycleError[] = [];
  const timings: Record<string, number | Record<string, number>> = {};
  const { signal } = options;
  let status: Exclude<CycleStatus, "running" | "abandoned"> = "completed";
  let reason: string | null = null;
  try {
    let targets = await deps.listTargets(tenant);
    if (options.agent) targets = targets.filter((t) => t.agent === options.agent || t.signature === options.agent);
    // Counted up to the stable seq (once for all targets): the watermarks advanced after
    // processing never pass a trace still being written.
    const upToSeq = await stableTraceSeq(db.pool);
    const counted = await Promise.all(targets.map(async (t) => ({ target: t, fresh: await countNewTraces(db, tenant, t, upToSeq) })));
    const ready = counted.filter((c) => c.fresh.count >= config.minTracesForAnalysis);
    for (const c of counted.filter((x) => x.fresh.count < config.minTracesForAnalysis)) {
      verdicts.push({ signature: c.target.signature, agent: c.target.agent, newTraces: c.fresh.count, verdict: "skipped", reason: `${c.fresh.count} new traces < min_traces_for_analysis (${config.minTracesForAnalysis})` });
    }
    if (ready.length === 0) {
      status = "idle";
      reason =
        targets.length === 0
          ? `nothing to learn: no traces${options.agent ? ` for agent ${options.agent}` : ""} yet`
          : `nothing to learn: no signature has min_traces_for_analysis (${config.minTracesForAnalysis}) new traces (${counted.map((c) => `${c.target.signature}: ${c.fresh.count}`).join(", ")})`;
    }
    for (const { target, fresh } of ready) {
      throwIfAborted(signal, `learning ${target.signature}`);
      const remaining = config.maxLlmCallsPerCycle - totals.llmCalls;
      if (remaining <= 0) {
        verdicts.push({ signature: target.signature, agent: target.agent, newTraces: fresh.count, verdict: "skipped", reason: `LLM call budget of the cycle (max_llm_calls_per_cycle = ${config.maxLlmCallsPerCycle}) is spent` });
        continue;
      }
      const step = await learnSignature(ctx, { tenant, target, newTraces: fresh.count, maxLlmCalls: remaining, log, ...(signal ? { signal } : {}) });
      totals.tracesRead += step.tracesRead;
      totals.patternsFound += step.patternsFound;
      totals.candidatesTried += step.candidatesTried;
      totals.llmCalls += step.llmCalls;
      totals.tokens += step.tokens;
      timings[target.signature] = step.timings;
      verdicts.push(step.verdict);
      if (step.version) versions.push(step.version);
      if (step.error) errors.push(step.error);
      // Only a signature that went through the whole pipeline consumes its traces; after an
      // error the next cycle sees them again.
      else await advanceWatermark(db, tenant, target.signature, fresh.maxSeq);
    }
    if (errors.length > 0 && errors.length === ready.length) {
      status = "failed";
      reason = `every signature failed: ${errors.map((e) => `${e.signature}: ${e.message}`).join("; ")}`;
    } else if (status === "completed") {
      reason = summarize(verdicts);
    }
  } catch (e) {
    if (signal?.aborted) {
      // Whatever the step threw (our checkpoint, an aborted model call, a rolled-back analysis),
      // the cause is the stop request. Signatures finished before it keep their commits.
      status = "aborted";
      reason = e instanceof CycleAbortedError ? e.message : `aborted: ${abortReason(signal)}`;
      const done = summarize(verdicts);
      if (verdicts.length > 0) reason += `; before that: ${done}`;
      log.warn({ name: "cycle-aborted", reason }, "learning cycle aborted");
    } else {
      status = "failed";
      const ce = toCycleError(e, "cycle");
      errors.push(ce);
      reason = `cycle failed: ${ce.message}`;
      log.error({ name: "cycle-failed", err: e }, "learning cycle failed");
    }
  }
  timings["totalMs"] = Math.round(performance.now() - t0);
  try {
    const { rows } = await db.pool.query<CycleRow>(
      `UPDATE learning_cycles SET status = $2, reason = $3, traces_read = $4, patterns_found = $5, candidates_tried = $6, llm_calls = $7, tokens = $8,
              versions_produced = $9::jsonb, verdicts = $10::jsonb, errors = $11::jsonb, timings = $12::jsonb, finished_at = $13
        WHERE id = $1 RETURNING ${CYCLE_COLUMNS}`,
      [cycleId, status, reason, totals.tracesRead, totals.patternsFound, totals.candidatesTried, totals.llmCalls, totals.tokens,
        JSON.stringify(versions), JSON.stringify(verdicts), JSON.stringify(errors), JSON.stringify(timings), new Date()],
    );
    const row = rows[0];
    if (!row) throw new Error(`learning cycle ${cycleId} vanished before it finished`);
    recordCycle(tenant, status, (performance.now() - t0) / 1000);
    log.info({ name: "cycle-finished", status, reason, versions: versions.length, llmCalls: totals.llmCalls, ms: timings["totalMs"] }, `learning cycle ${status}: ${reason}`);
    return { status, cycle: toCycleView(row), retryable: status === "failed" && errors.every((x) => x.retryable) };
  } finally {
    await claim.claim.release();
  }
}

interface StepResult {
  tracesRead: number;
  patternsFound: number;
  candidatesTried: number;
  llmCalls: number;
  tokens: number;
  timings: Record<string, number>;
  verdict: VerdictRecord;
  version?: VersionRecord;
  error?: CycleError;
}

async function learnSignature(
  ctx: LearningCycleContext,
  input: { tenant: string; target: LearningTarget; newTraces: number; maxLlmCalls: number; log: Logger; signal?: AbortSignal },
): Promise<StepResult> {
  const { tenant, target, log, signal } = input;
  const timings: Record<string, number> = {};
  const base = { signature: target.signature, agent: target.agent, newTraces: input.newTraces };
  const out: StepResult = { tracesRead: 0, patternsFound: 0, candidatesTried: 0, llmCalls: 0, tokens: 0, timings, verdict: { ...base, verdict: "error", reason: "" } };
  let phase = "analyze";
  try {
    let t = performance.now();
    const analysis = await ctx.deps.analyze({ tenant, agent: target.agent, ...(signal ? { signal } : {}) });
    timings["analyzeMs"] = Math.round(performance.now() - t);
    // The cycle consumed its new traces even when the analyzer read fewer (incremental) or more.
    out.tracesRead = Math.max(analysis.tracesRead, input.newTraces);
    out.patternsFound = analysis.patternsFound;
    log.info({ name: "cycle-analyzed", signature: target.signature, ...analysis }, "analysis done");
    // Reflections on failed runs are model calls too: they come out of the cycle's budget, and
    // compilation gets what they leave.
    let reflectionCalls = 0;
    if (ctx.deps.refreshHeuristics) {
      phase = "heuristics";
      t = performance.now();
      try {
        const refreshed = await ctx.deps.refreshHeuristics({ tenant, agent: target.agent, maxLlmCalls: input.maxLlmCalls, ...(signal ? { signal } : {}) });
        reflectionCalls = refreshed.llmCalls;
        out.llmCalls += refreshed.llmCalls;
        out.tokens += refreshed.tokens;
        if (refreshed.llmCalls > 0) recordLlmUsage(tenant, target.signature, { calls: refreshed.llmCalls });
      } catch (e) {
        // The library informs compilation; a failure to refresh it must not stop the cycle. The
        // calls its reflections made before it failed still count against the budget.
        if (signal?.aborted) throw e;
        if (e instanceof SpentThenFailedError) {
          reflectionCalls = e.spent.calls;
          out.llmCalls += e.spent.calls;
          out.tokens += e.spent.tokens;
          recordLlmUsage(tenant, target.signature, { calls: e.spent.calls });
        }
        log.warn({ name: "heuristics-refresh-failed", signature: target.signature, err: e }, "could not refresh the heuristics library");
      }
      timings["heuristicsMs"] = Math.round(performance.now() - t);
    }
    phase = "compile";
    throwIfAborted(signal, `compiling ${target.signature}`);
    t = performance.now();
    const compiled = await ctx.deps.compile({ tenant, target, maxLlmCalls: Math.max(0, input.maxLlmCalls - reflectionCalls), ...(analysis.runId ? { analysisRunId: analysis.runId } : {}), ...(signal ? { signal } : {}) });
    timings["compileMs"] = Math.round(performance.now() - t);
    out.candidatesTried = compiled.candidatesTried;
    out.llmCalls += compiled.llmCalls;
    out.tokens += compiled.promptTokens + compiled.completionTokens;
    recordLlmUsage(tenant, target.signature, { calls: compiled.llmCalls, promptTokens: compiled.promptTokens, completionTokens: compiled.completionTokens });
    out.verdict = { ...base, verdict: compiled.verdict, reason: compiled.reason, parentVersion: compiled.parentVersion, candidateVersion: compiled.candidateVersion, score: compiled.score, parentScore: compiled.parentScore };
    if (compiled.verdict !== "no_candidate") recordVerdict(tenant, target.signature, compiled.verdict !== "promoted" ? "rejected" : compiled.saved?.mode === "review" ? "proposed" : "promoted");
    if (compiled.verdict === "promoted" && compiled.saved) {
      phase = "record";
      out.version = { signature: target.signature, version: compiled.saved.version, parent: compiled.parentVersion, commit: compiled.saved.commit, branch: compiled.saved.branch, mode: compiled.saved.mode };
      await recordGuidelineEvents(ctx.db.forTenant(tenant), { tenant, signature: target.signature, version: compiled.saved.version, changes: diffGuidelines(compiled.guidelinesBefore, compiled.guidelinesAfter) });
      log.info({ name: "version-promoted", signature: target.signature, version: compiled.saved.version, parent: compiled.parentVersion, score: compiled.score, parentScore: compiled.parentScore, mode: compiled.saved.mode }, `promoted ${target.signature} ${compiled.saved.version}`);
    } else {
      log.info({ name: "candidate-not-promoted", signature: target.signature, verdict: compiled.verdict, reason: compiled.reason }, `${target.signature}: ${compiled.reason}`);
    }
  } catch (e) {
    // A stop request ends the whole cycle (recorded as aborted), not just this signature.
    if (signal?.aborted) throw e;
    out.error = { signature: target.signature, ...toCycleError(e, phase) };
    out.verdict = { ...base, verdict: "error", reason: `${phase} failed: ${out.error.message}` };
    log.error({ name: "signature-learning-failed", signature: target.signature, phase, err: e }, `${target.signature}: ${phase} failed`);
    if (e instanceof UnrecoverableError) throw e;
  }
  return out;
}

function toCycleError(e: unknown, phase: string): CycleError {
  if (e instanceof AppError) return { phase, code: e.code, message: e.message, retryable: !(e instanceof UnrecoverableError) };
  return { phase, code: "internal", message: e instanceof Error ? e.message : String(e), retryable: true };
}

function summarize(verdicts: VerdictRecord[]): string {
  const by = (v: VerdictRecord["verdict"]) => verdicts.filter((x) => x.verdict === v);
  const parts = [
    by("promoted").length ? `promoted ${by("promoted").map((v) => `${v.signature} ${v.candidateVersion}`).join(", ")}` : "",
    by("rejected").length ? `rejected ${by("rejected").map((v) => `${v.signature} (${v.reason})`).join(", ")}` : "",
    by("no_candidate").length ? `no candidate for ${by("no_candidate").map((v) => v.signature).join(", ")}` : "",
    by("error").length ? `failed ${by("error").map((v) => v.signature).join(", ")}` : "",
    by("skipped").length ? `skipped ${by("skipped").map((v) => `${v.signature} (${v.reason})`).join(", ")}` : "",
  ];
  return parts.filter(Boolean).join("; ") || "nothing to do";
}
