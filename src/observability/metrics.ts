// The service's Prometheus metrics, defined once so every module increments the same series.
// Use the `record*` helpers: they swallow (and log) metric failures, which must never break
// the work being measured. `GET /metrics` serves `metricsRegistry`.
//
// Series (all prefixed `meta_agent_`); every series that counts a tenant's data carries `tenant`:
//   traces_ingested_total{tenant,source}               traces stored (source: http, otlp, import, in_process)
//   ingest_duration_seconds{source}                    time to validate and store one ingest request/batch
//   traces_rejected_total{tenant,source,reason}        traces refused at ingest (validation, too_large...)
//   traces_dropped_total{tenant,source}                traces dropped by a failed in-process write
//   learning_cycle_duration_seconds{status}            wall time of a learning cycle
//   learning_cycles_total{tenant,status}               cycles by outcome (completed, idle, failed, skipped)
//   promotions_total{tenant,signature}                 candidates promoted to the serving branch (auto mode)
//   proposals_total{tenant,signature}                  candidates the gate passed, sent for review (review mode; served once merged)
//   rejections_total{tenant,signature}                 candidates the gate rejected
//   llm_tokens_total{tenant,signature,kind}            LLM tokens spent (kind: prompt, completion)
//   llm_calls_total{tenant,signature}                  LLM calls made
//   cache_hits_total{tenant,signature}                 semantic-cache hits
//   cache_misses_total{tenant,signature}               semantic-cache misses
// GET /metrics is the operator's (metrics_token): tenants see their own figures through the API.
// plus prom-client's default process metrics (`meta_agent_process_*`, `meta_agent_nodejs_*`).
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "../log/logger.js";

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: "meta_agent_" });

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  new Counter<L>({ name: `meta_agent_${name}`, help, labelNames, registers: [metricsRegistry] });
const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
  new Histogram<L>({ name: `meta_agent_${name}`, help, labelNames, buckets, registers: [metricsRegistry] });

export const metrics = {
  tracesIngested: counter("traces_ingested_total", "Traces stored by the collector", ["tenant", "source"]),
  ingestDuration: histogram("ingest_duration_seconds", "Time to validate and store one ingest request", ["source"], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
  tracesRejected: counter("traces_rejected_total", "Traces refused at ingest", ["tenant", "source", "reason"]),
  tracesDropped: counter("traces_dropped_total", "Traces dropped before reaching the database", ["tenant", "source"]),
  cycleDuration: histogram("learning_cycle_duration_seconds", "Wall time of a learning cycle", ["status"], [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600]),
  cycles: counter("learning_cycles_total", "Learning cycles by outcome", ["tenant", "status"]),
  promotions: counter("promotions_total", "Candidate versions promoted to the serving branch", ["tenant", "signature"]),
  proposals: counter("proposals_total", "Candidate versions sent for review (served once their branch is merged)", ["tenant", "signature"]),
  rejections: counter("rejections_total", "Candidate versions rejected by the gate", ["tenant", "signature"]),
  llmTokens: counter("llm_tokens_total", "LLM tokens spent", ["tenant", "signature", "kind"]),
  llmCalls: counter("llm_calls_total", "LLM calls made", ["tenant", "signature"]),
  cacheHits: counter("cache_hits_total", "Semantic cache hits", ["tenant", "signature"]),
  cacheMisses: counter("cache_misses_total", "Semantic cache misses", ["tenant", "signature"]),
  canaryDecisions: counter("canary_decisions_total", "Canary decisions by outcome (promoted, rolled_back, stopped) and rule", ["tenant", "signature", "outcome", "rule"]),
  canaryRuns: counter("canary_runs_total", "Signature runs served while a canary runs, by arm", ["tenant", "signature", "arm"]),
} as const;

/** Documented series names, for tests and docs/operations.md. */
export const METRIC_NAMES = Object.values(metrics).map((m) => (m as unknown as { name: string }).name);

let metricsLogger: Logger | undefined;
/** Where metric failures are reported (the service's logger). */
export function setMetricsLogger(logger: Logger): void {
  metricsLogger = logger;
}

/** Runs a metric update; a failure is logged and swallowed. */
export function safely(update: () => void): void {
  try {
    update();
  } catch (e) {
    try {
      metricsLogger?.warn({ name: "metrics-update-failed", err: e }, "metric update failed");
    } catch {
      // Nothing left to do: metrics must never break the caller.
    }
  }
}

export function recordIngest(tenant: string, source: string, traces: number, seconds: number): void {
  safely(() => {
    if (traces > 0) metrics.tracesIngested.inc({ tenant, source }, traces);
    metrics.ingestDuration.observe({ source }, seconds);
  });
}

export function recordRejected(tenant: string, source: string, reason: string, count = 1): void {
  safely(() => metrics.tracesRejected.inc({ tenant, source, reason }, count));
}

export function recordDropped(tenant: string, source: string, count = 1): void {
  safely(() => metrics.tracesDropped.inc({ tenant, source }, count));
}

export function recordCycle(tenant: string, status: string, seconds: number): void {
  safely(() => {
    metrics.cycles.inc({ tenant, status });
    metrics.cycleDuration.observe({ status }, seconds);
  });
}

export function recordVerdict(tenant: string, signature: string, outcome: "promoted" | "proposed" | "rejected"): void {
  safely(() => (outcome === "promoted" ? metrics.promotions : outcome === "proposed" ? metrics.proposals : metrics.rejections).inc({ tenant, signature }));
}

export function recordLlmUsage(tenant: string, signature: string, usage: { calls?: number; promptTokens?: number; completionTokens?: number }): void {
  safely(() => {
    if (usage.calls) metrics.llmCalls.inc({ tenant, signature }, usage.calls);
    if (usage.promptTokens) metrics.llmTokens.inc({ tenant, signature, kind: "prompt" }, usage.promptTokens);
    if (usage.completionTokens) metrics.llmTokens.inc({ tenant, signature, kind: "completion" }, usage.completionTokens);
  });
}

export function recordCacheLookup(tenant: string, signature: string, hit: boolean): void {
  safely(() => (hit ? metrics.cacheHits : metrics.cacheMisses).inc({ tenant, signature }));
}

export function recordCanaryDecision(tenant: string, signature: string, outcome: string, rule: string): void {
  safely(() => metrics.canaryDecisions.inc({ tenant, signature, outcome, rule }));
}

export function recordCanaryRun(tenant: string, signature: string, arm: string): void {
  safely(() => metrics.canaryRuns.inc({ tenant, signature, arm }));
}
