// Seed 000's benchmark log, from the `traces` table: per signature version, runs, success
// rate, tokens, latency, cost and token ROI (quality per 1,000 tokens; per USD where runs are priced).
import type { Database } from "../../db/database.js";

export interface BenchmarkRow {
  signature: string;
  version: string;
  runs: number;
  /** Share of runs with an outcome that succeeded (null when no run has an outcome yet). */
  successRate: number | null;
  /** Mean quality: the outcome score, else 1 for success and 0 for failure. */
  quality: number | null;
  avgTokens: number;
  totalTokens: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  /** quality / (avgTokens / 1000): quality per 1,000 tokens; null without tokens or quality. */
  tokenRoi: number | null;
  /** Runs with a known cost (`cost_usd`; config model_prices). */
  pricedRuns: number;
  /** Sum of the known costs, USD; null when no run is priced. */
  totalCostUsd: number | null;
  /** Mean cost of a priced run, USD; null when no run is priced. */
  avgCostUsd: number | null;
  /** Quality per USD: mean quality / mean cost of the priced runs; null without both. */
  costRoi: number | null;
}

export interface BenchmarkReportOptions {
  tenant: string;
  signature?: string;
  /** Only traces started at or after this time. */
  since?: Date;
}

/** Aggregates the tenant's traces by signature (or agent) and prompt version. */
export async function benchmarkReport(db: Database, options: BenchmarkReportOptions): Promise<BenchmarkRow[]> {
  db = db.forTenant(options.tenant);
  const { rows } = await db.pool.query<{
    signature: string;
    version: string;
    runs: number;
    success_rate: number | null;
    quality: number | null;
    avg_tokens: number;
    total_tokens: string;
    avg_latency: number | null;
    p95_latency: number | null;
    priced_runs: number;
    total_cost: number | null;
    avg_cost: number | null;
    priced_quality: number | null;
  }>(
    `SELECT COALESCE(signature, agent) AS signature, COALESCE(prompt_version, 'unversioned') AS version,
            count(*)::int AS runs,
            avg(CASE WHEN success IS NULL THEN NULL WHEN success THEN 1.0 ELSE 0.0 END)::float8 AS success_rate,
            avg(COALESCE(score, CASE WHEN success IS NULL THEN NULL WHEN success THEN 1.0 ELSE 0.0 END))::float8 AS quality,
            avg(prompt_tokens + completion_tokens)::float8 AS avg_tokens,
            sum(prompt_tokens + completion_tokens)::text AS total_tokens,
            avg(duration_ms)::float8 AS avg_latency,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p95_latency,
            count(cost_usd)::int AS priced_runs,
            sum(cost_usd)::float8 AS total_cost,
            avg(cost_usd)::float8 AS avg_cost,
            avg(CASE WHEN cost_usd IS NULL THEN NULL ELSE COALESCE(score, CASE WHEN success IS NULL THEN NULL WHEN success THEN 1.0 ELSE 0.0 END) END)::float8 AS priced_quality
       FROM traces
      WHERE tenant_id = $1 AND ($2::text IS NULL OR COALESCE(signature, agent) = $2) AND ($3::timestamptz IS NULL OR started_at >= $3)
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [options.tenant, options.signature ?? null, options.since ?? null],
  );
  return rows.map((r) => ({
    signature: r.signature,
    version: r.version,
    runs: r.runs,
    successRate: r.success_rate,
    quality: r.quality,
    avgTokens: r.avg_tokens,
    totalTokens: Number(r.total_tokens),
    avgLatencyMs: r.avg_latency,
    p95LatencyMs: r.p95_latency,
    tokenRoi: r.quality !== null && r.avg_tokens > 0 ? r.quality / (r.avg_tokens / 1000) : null,
    pricedRuns: r.priced_runs,
    totalCostUsd: r.total_cost,
    avgCostUsd: r.avg_cost,
    // Quality and cost of the same (priced) runs: an unpriced run's quality must not ride on others' cost.
    costRoi: r.priced_quality !== null && r.avg_cost !== null && r.avg_cost > 0 ? r.priced_quality / r.avg_cost : null,
  }));
}

const CSV_COLUMNS = ["signature", "version", "runs", "success_rate", "quality", "avg_tokens", "total_tokens", "avg_latency_ms", "p95_latency_ms", "token_roi", "priced_runs", "total_cost_usd", "avg_cost_usd", "quality_per_usd"] as const;

/** RFC 4180 CSV with a header row; numbers rounded for reading, empty cells for unknowns. */
export function toCsv(rows: BenchmarkRow[]): string {
  const num = (v: number | null, digits: number) => (v === null || !Number.isFinite(v) ? "" : String(Number(v.toFixed(digits))));
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r) =>
    [cell(r.signature), cell(r.version), String(r.runs), num(r.successRate, 4), num(r.quality, 4), num(r.avgTokens, 1), String(r.totalTokens), num(r.avgLatencyMs, 1), num(r.p95LatencyMs, 1), num(r.tokenRoi, 4), String(r.pricedRuns), num(r.totalCostUsd, 8), num(r.avgCostUsd, 8), num(r.costRoi, 2)].join(","),
  );
  return [CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
