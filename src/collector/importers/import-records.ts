// The `imports` table (owned here): one row per upload to POST /v1/import, written when the
// upload starts and updated after every database write of it, so that an upload cut off midway
// (the client aborted, the connection broke, the service stopped) still says what was stored and
// where to resume. Read with GET /v1/imports and GET /v1/imports/:id.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { ImportSummary } from "./import-traces.js";

export type ImportStatus = "running" | "completed" | "interrupted" | "failed";

/** What GET /v1/imports/:id answers. */
export interface ImportRecord extends ImportSummary {
  id: string;
  /** `running` (still reading, or the service stopped while it did: see updatedAt), `completed`, `interrupted` (the upload was cut off), `failed` (e.g. the database went away). */
  status: ImportStatus;
  /** Why it stopped early. */
  error?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

interface Row {
  id: string;
  status: ImportStatus;
  total: number;
  imported: number;
  updated: number;
  skipped: number;
  invalid: number;
  errors: ImportSummary["errors"];
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toRecord = (r: Row): ImportRecord => ({
  id: r.id,
  status: r.status,
  total: r.total,
  imported: r.imported,
  updated: r.updated,
  skipped: r.skipped,
  invalid: r.invalid,
  errors: r.errors,
  ...(r.error !== null ? { error: r.error } : {}),
  startedAt: r.started_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  ...(r.finished_at ? { finishedAt: r.finished_at.toISOString() } : {}),
});

/** Records a new import of `tenant` as running; returns its id. */
export async function startImportRecord(pool: Pick<pg.Pool, "query">, tenant: string): Promise<string> {
  const id = randomUUID();
  await pool.query("INSERT INTO imports (id, tenant_id, status) VALUES ($1, $2, 'running')", [id, tenant]);
  return id;
}

/** Stores the import's counts so far and, with `end`, how it ended. */
export async function updateImportRecord(pool: Pick<pg.Pool, "query">, tenant: string, id: string, summary: ImportSummary, end?: { status: Exclude<ImportStatus, "running">; error?: string }): Promise<void> {
  await pool.query(
    `UPDATE imports SET total = $3, imported = $4, updated = $5, skipped = $6, invalid = $7, errors = $8::jsonb, updated_at = CURRENT_TIMESTAMP,
       status = COALESCE($9, status), error = COALESCE($10, error), finished_at = CASE WHEN $9::text IS NULL THEN finished_at ELSE CURRENT_TIMESTAMP END
     WHERE tenant_id = $1 AND id = $2`,
    [tenant, id, summary.total, summary.imported, summary.updated, summary.skipped, summary.invalid, JSON.stringify(summary.errors), end?.status ?? null, end?.error ?? null],
  );
}

/** The import `id` of `tenant`, or undefined. */
export async function getImportRecord(pool: Pick<pg.Pool, "query">, tenant: string, id: string): Promise<ImportRecord | undefined> {
  const { rows } = await pool.query<Row>("SELECT * FROM imports WHERE tenant_id = $1 AND id = $2", [tenant, id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The tenant's imports, newest first, without their lists of invalid records. */
export async function listImportRecords(pool: Pick<pg.Pool, "query">, tenant: string, limit = 20): Promise<Omit<ImportRecord, "errors">[]> {
  const { rows } = await pool.query<Row>("SELECT * FROM imports WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2", [tenant, limit]);
  return rows.map((r) => {
    const { errors: _errors, ...rest } = toRecord(r);
    return rest;
  });
}
