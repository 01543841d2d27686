// Seed 000's benchmark log, from the `traces` table: per signature version, runs, success
// rate, tokens, latency and token ROI (quality per 1,000 tokens).
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
  }>(
    `SELECT COALESCE(signature, agent) AS signature, COALESCE(prompt_version, 'unversioned') AS version,
            count(*)::int AS runs,
            avg(CASE WHEN success IS NULL THEN NULL WHEN success THEN 1.0 ELSE 0.0 END)::float8 AS success_rate,
            avg(COALESCE(score, CASE WHEN success IS NULL THEN NULL WHEN success THEN 1.0 ELSE 0.0 END))::float8 AS quality,
            avg(prompt_tokens + completion_tokens)::float8 AS avg_tokens,
            sum(prompt_tokens + completion_tokens)::text AS total_tokens,
            avg(duration_ms)::float8 AS avg_latency,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)::float8 AS p95_latency
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
  }));
}

const CSV_COLUMNS = ["signature", "version", "runs", "success_rate", "quality", "avg_tokens", "total_tokens", "avg_latency_ms", "p95_latency_ms", "token_roi"] as const;

/** RFC 4180 CSV with a header row; numbers rounded for reading, empty cells for unknowns. */
export function toCsv(rows: BenchmarkRow[]): string {
  const num = (v: number | null, digits: number) => (v === null || !Number.isFinite(v) ? "" : String(Number(v.toFixed(digits))));
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = rows.map((r) =>
    [cell(r.signature), cell(r.version), String(r.runs), num(r.successRate, 4), num(r.quality, 4), num(r.avgTokens, 1), String(r.totalTokens), num(r.avgLatencyMs, 1), num(r.p95LatencyMs, 1), num(r.tokenRoi, 4)].join(","),
  );
  return [CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
