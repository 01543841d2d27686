// The file mirror of seed 003: one JSON file per trace, named
// `<agent>_<problem>_<YYYYMMDD_HHMMSS>_<id>.json`, holding the trace in the API's input format so
// `meta-agent import` reads it back losslessly.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import type { TraceData } from "../../domain/trace.js";
import { traceDataOf, type TraceRow } from "../trace-rows.js";
import { withSteps } from "../query/get-trace.js";
import { stableTraceSeq } from "../trace-write-barrier.js";

export interface ExportOptions {
  /** Target directory, created if missing. Default `traces`. */
  dir?: string;
  /** Only this agent's traces. */
  agent?: string;
  /** Traces read per query. Default 200. */
  pageSize?: number;
}

export interface ExportSummary {
  dir: string;
  written: number;
  files: string[];
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "none";

/** Seed 003's file name for a trace. */
export function traceFileName(t: TraceData): string {
  const ts = t.startedAt.replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "_");
  return `${safe(t.agent)}_${safe(t.problem?.id ?? "none")}_${ts}_${safe(t.id)}.json`;
}

/** Writes every matching trace of `tenant` to `dir`, paging by seq so memory stays flat. */
export async function exportTraces(pool: pg.Pool, tenant: string, options: ExportOptions = {}): Promise<ExportSummary> {
  const dir = path.resolve(options.dir ?? "traces");
  await mkdir(dir, { recursive: true });
  const pageSize = options.pageSize ?? 200;
  const summary: ExportSummary = { dir, written: 0, files: [] };
  // Every trace stored when the export starts, and nothing later: paging by seq up to the stable
  // seq never skips a trace whose write commits while the export runs (trace-write-barrier.ts).
  const upTo = (await stableTraceSeq(pool)).toString();
  let after = "0";
  for (;;) {
    const params: unknown[] = [tenant, after, pageSize, upTo];
    const agentFilter = options.agent !== undefined ? (params.push(options.agent), `AND agent = $5`) : "";
    const page = await pool.query<TraceRow>(`SELECT * FROM traces WHERE tenant_id = $1 AND seq > $2 AND seq <= $4 ${agentFilter} ORDER BY seq LIMIT $3`, params);
    if (page.rows.length === 0) break;
    for (const trace of await withSteps(pool, tenant, page.rows)) {
      const data = traceDataOf(trace);
      const file = traceFileName(data);
      await writeFile(path.join(dir, file), `${JSON.stringify(data, null, 2)}\n`);
      summary.written++;
      summary.files.push(file);
    }
    after = String(page.rows[page.rows.length - 1]!.seq);
  }
  return summary;
}
