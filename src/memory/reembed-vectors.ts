// `meta-agent embeddings reembed`: converts every stored vector made by another embedder (cache
// entries, library chunks, trace embeddings) to the current one, tenant by tenant, with progress.
// Until it has run, lookups simply do not match the old vectors (they filter on the model).
// Afterwards the old models' indexes are dropped.
import type { Database } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import type { EmbedderService } from "../llm/create-embedder.js";
import { reembedTable, type ReembedProgress, type ReembedTableSpec } from "./reembed-table.js";
import type { VectorTable } from "../db/vector-index.js";
import { UnrecoverableError } from "../errors.js";
import { CACHE_ENTRIES_REEMBED, TRACE_EMBEDDINGS_REEMBED } from "./reembed-memory.js";
import { LIBRARY_CHUNKS_REEMBED } from "../librarian/reembed-library.js";
import type { TraceSource } from "./trace-source.js";

const SPECS: readonly ReembedTableSpec[] = [CACHE_ENTRIES_REEMBED, LIBRARY_CHUNKS_REEMBED, TRACE_EMBEDDINGS_REEMBED];

export interface ReembedVectorsInput {
  /** Only this tenant. Default: every tenant with vectors of another model. */
  tenant?: string;
  /** Rows embedded per batch. Default 256. */
  batchSize?: number;
  onProgress?: (p: ReembedProgress) => void;
}

export interface ReembedVectorsReport {
  model: string;
  tables: { table: VectorTable; tenant: string; converted: number; skipped: number }[];
  /** Models whose indexes were dropped because no vector of theirs is left. */
  released: { table: VectorTable; models: string[] }[];
}

/** Counts, per table, the tenant's vectors made by another model than `model` (what a re-embed would convert). */
export async function countStaleVectors(db: Pick<Database, "forTenant">, tenant: string, model: string): Promise<Record<VectorTable, number>> {
  const out = {} as Record<VectorTable, number>;
  const { pool } = db.forTenant(tenant);
  for (const spec of SPECS) out[spec.table] = Number((await pool.query<{ n: string }>(spec.count, [tenant, model])).rows[0]?.n ?? 0);
  return out;
}

export async function reembedVectors(
  deps: { db: Pick<Database, "pool" | "forTenant" | "upkeep">; embedder: EmbedderService; /** The traces whose inputs trace embeddings re-embed (collector/query/create-trace-source.ts). */ traces: TraceSource; logger?: Logger },
  input: ReembedVectorsInput = {},
): Promise<ReembedVectorsReport> {
  const logger = deps.logger ?? silentLogger;
  await deps.embedder.load();
  const status = deps.embedder.status();
  // Converting to the fallback would replace good vectors with lexical ones.
  if (status.state === "fallback") throw new UnrecoverableError("embedder_fallback", `refusing to re-embed: the configured embedder could not load (${status.reason ?? "unknown"}); fix it or set embedder: hash explicitly`);
  const model = deps.embedder.model;
  const report: ReembedVectorsReport = { model, tables: [], released: [] };
  for (const spec of SPECS) {
    // Discovery is the one query across tenants (system work, on the owner's connection); every
    // conversion below runs in its tenant's scope.
    const tenants = input.tenant
      ? [input.tenant]
      : (await deps.db.pool.query<{ tenant_id: string }>(`SELECT DISTINCT "tenant_id" FROM "${spec.table}" WHERE "model" <> $1 ORDER BY "tenant_id"`, [model])).rows.map((r) => r.tenant_id);
    for (const tenant of tenants) {
      const r = await reembedTable(deps.db.forTenant(tenant).pool, deps.db.upkeep, deps.embedder, spec, { tenant, batchSize: input.batchSize ?? 256, traces: deps.traces, ...(input.onProgress ? { onProgress: input.onProgress } : {}) });
      report.tables.push({ table: spec.table, tenant, ...r });
      logger.info({ name: "vectors-reembedded", table: spec.table, tenant, model, ...r }, "stored vectors re-embedded");
    }
    if (report.tables.some((t) => t.table === spec.table && t.converted > 0)) await deps.db.upkeep.analyzeVectorTable(spec.table);
    const models = await deps.db.upkeep.releaseEmptyVectorIndexes(spec.table);
    if (models.length > 0) report.released.push({ table: spec.table, models });
  }
  return report;
}
