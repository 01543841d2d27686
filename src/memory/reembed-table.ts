// The shared loop of re-embedding one vector table: read a batch of one tenant's rows stored by
// another model, embed their text with the current embedder, and update each row only if it still
// holds the vector that was read (a row the service rewrote meanwhile is left to the service).
// Rows already converted drop out of the selection, so an interrupted run resumes where it stopped.
// In memory/ (used by memory/ and librarian/, which own the vector tables) because it needs an
// Embedder, and db/ sits below llm/.
import type pg from "pg";
import type { Embedder } from "../llm/embedder.js";
import { vectorLiteral, type VectorTable } from "../db/vector-index.js";
import type { SchemaUpkeep } from "../db/schema-upkeep.js";
import type { TraceSource } from "./trace-source.js";

export interface ReembedTableSpec {
  table: VectorTable;
  /** SQL of the rows to convert, selecting at least `key` (text) and `model`; `$1` = tenant, `$2` = current model, `$3` = batch size. */
  select: string;
  /** Adds to the selected rows what `textOf` reads from another owner's table (trace embeddings: the traces' inputs). Default: nothing. */
  read?(tenant: string, rows: Record<string, unknown>[], traces: TraceSource): Promise<Record<string, unknown>[]>;
  /** The text to embed from a selected row; undefined: nothing to embed (the row keeps no vector). */
  textOf(row: Record<string, unknown>): string | undefined;
  /** SQL updating one row: `$1` tenant, `$2` key, `$3` old model, `$4` new model, `$5` dim, `$6` vector literal (or null). */
  update: string;
  /** SQL counting the tenant's rows of other models: `$1` tenant, `$2` current model. */
  count: string;
}

export interface ReembedProgress {
  table: VectorTable;
  tenant: string;
  done: number;
  total: number;
}

export interface ReembedTableReport {
  converted: number;
  /** Rows rewritten by someone else between read and update (left as they are). */
  skipped: number;
}

/** Converts one tenant's rows of `spec.table` to `embedder`'s model. */
export async function reembedTable(
  pool: Pick<pg.Pool, "query" | "connect">,
  upkeep: Pick<SchemaUpkeep, "ensureVectorIndex">,
  embedder: Embedder,
  spec: ReembedTableSpec,
  input: { tenant: string; batchSize: number; traces: TraceSource; onProgress?: (p: ReembedProgress) => void },
): Promise<ReembedTableReport> {
  const total = Number((await pool.query<{ n: string }>(spec.count, [input.tenant, embedder.model])).rows[0]?.n ?? 0);
  const report: ReembedTableReport = { converted: 0, skipped: 0 };
  input.onProgress?.({ table: spec.table, tenant: input.tenant, done: 0, total });
  const seen = new Set<string>();
  while (report.converted + report.skipped < total) {
    const selected = await pool.query<{ key: string; model: string } & Record<string, unknown>>(spec.select, [input.tenant, embedder.model, input.batchSize]);
    const fresh = selected.rows.filter((r) => !seen.has(r.key));
    if (fresh.length === 0) break;
    const rows = (spec.read ? await spec.read(input.tenant, fresh, input.traces) : fresh) as typeof fresh;
    const withText = rows.flatMap((r) => {
      const text = spec.textOf(r);
      return text ? [{ key: r.key, text }] : [];
    });
    const vectors = withText.length > 0 ? await embedder.embed(withText.map((r) => r.text)) : [];
    // Read after embedding: the local encoder's fallback may only switch before its first vector.
    const model = embedder.model;
    const dim = vectors[0]?.length ?? 0;
    if (dim > 0) await upkeep.ensureVectorIndex(spec.table, { model, dim });
    const vectorOf = new Map(withText.map((r, i) => [r.key, vectors[i]!]));
    for (const row of rows) {
      seen.add(row.key);
      const v = vectorOf.get(row.key);
      const r = await pool.query(spec.update, [input.tenant, row.key, row.model, model, v ? dim : 0, v ? vectorLiteral(v, dim) : null]);
      if (r.rowCount) report.converted++;
      else report.skipped++;
    }
    input.onProgress?.({ table: spec.table, tenant: input.tenant, done: report.converted + report.skipped, total });
  }
  return report;
}
