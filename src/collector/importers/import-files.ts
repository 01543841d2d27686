// Imports files and directories (the CLI's `meta-agent import`), one summary per file.
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { importTraces, type ImportOptions, type ImportSummary } from "./import-traces.js";

export interface FilesImportSummary {
  imported: number;
  updated: number;
  skipped: number;
  invalid: number;
  /** Files that could not be read or parsed at all. */
  failedFiles: number;
  files: Array<ImportSummary & { file: string; error?: string }>;
}

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.(jsonl|ndjson|json)$/i.test(n)).sort();
      out.push(...names.map((n) => path.join(p, n)));
    } else out.push(p);
  }
  return out;
}

/** Imports each file for `tenant`; a malformed file is reported and the others still import. */
export async function runImport(pool: pg.Pool, tenant: string, paths: string[], options: ImportOptions = {}): Promise<FilesImportSummary> {
  const total: FilesImportSummary = { imported: 0, updated: 0, skipped: 0, invalid: 0, failedFiles: 0, files: [] };
  for (const file of await expand(paths)) {
    const empty: ImportSummary = { total: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, errors: [] };
    try {
      const s = await importTraces(pool, tenant, createReadStream(file, { highWaterMark: 256 * 1024 }), { ...options, defaultStartedAt: options.defaultStartedAt ?? (await stat(file)).mtime.toISOString() });
      total.files.push({ file, ...s });
      total.imported += s.imported;
      total.updated += s.updated;
      total.skipped += s.skipped;
      total.invalid += s.invalid;
    } catch (e) {
      total.failedFiles++;
      total.files.push({ file, ...empty, error: (e as Error).message });
    }
  }
  return total;
}
