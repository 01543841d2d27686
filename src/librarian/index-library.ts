// `librarian index`: mirrors a folder of text, Markdown and PDF files into library documents and
// embedded chunks. Incremental: a file whose content hash (and embedding model) is unchanged is
// skipped, a changed file is replaced atomically, and a file gone from the folder is removed.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { vectorLiteral } from "../db/vector-index.js";
import { ValidationError } from "../errors.js";
import { chunkPages, type ChunkOptions } from "./chunk-text.js";
import { extractPages, mediaTypeOf, type LibraryMediaType } from "./read-document.js";
import { withTransaction } from "../db/transaction.js";

export interface LibraryDeps {
  /** The database: the library is read and written in the tenant's scope; index upkeep on the owner's connection. */
  db: Pick<Database, "forTenant" | "upkeep">;
  embedder: Embedder;
  logger?: Logger;
}

export interface IndexLibraryInput extends ChunkOptions {
  tenant: string;
  /** Folder to index (recursively; dot-files and dot-folders are ignored). */
  dir: string;
  /** Stored paths are relative to this folder when the file is inside it. Default process.cwd(). */
  baseDir?: string;
  /**
   * Drop the tenant's whole library first and re-embed everything: the way to move to another
   * embedding model (the index is released once no tenant has vectors of the old one). Default false.
   */
  rebuild?: boolean;
}

export interface IndexLibraryReport {
  dir: string;
  indexed: { path: string; chunks: number; pages: number | null }[];
  unchanged: string[];
  removed: string[];
  failed: { path: string; error: string }[];
  /** Files of other types, left alone. */
  ignored: string[];
}

interface FoundFile {
  abs: string;
  /** Stored path: relative to baseDir with forward slashes, or absolute when outside it. */
  rel: string;
  mediaType: LibraryMediaType;
}

function storedPath(abs: string, baseDir: string): string {
  const rel = path.relative(baseDir, abs);
  return rel.startsWith("..") || path.isAbsolute(rel) ? abs.split(path.sep).join("/") : rel.split(path.sep).join("/");
}

async function listFiles(dir: string, baseDir: string): Promise<{ files: FoundFile[]; ignored: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: FoundFile[] = [];
  const ignored: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    // `parentPath` (Node ≥ 20.12) is where a recursive readdir found the entry.
    const abs = path.join(e.parentPath, e.name);
    if (path.relative(dir, abs).split(path.sep).some((part) => part.startsWith("."))) continue;
    const mediaType = mediaTypeOf(abs);
    if (mediaType) files.push({ abs, rel: storedPath(abs, baseDir), mediaType });
    else ignored.push(storedPath(abs, baseDir));
  }
  files.sort((a, b) => a.rel.localeCompare(b.rel));
  return { files, ignored: ignored.sort() };
}

/** Indexes `input.dir` into the tenant's library and reports what changed. */
export async function indexLibrary(deps: LibraryDeps, input: IndexLibraryInput): Promise<IndexLibraryReport> {
  const logger = deps.logger ?? silentLogger;
  const baseDir = path.resolve(input.baseDir ?? process.cwd());
  const dir = path.resolve(baseDir, input.dir);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new ValidationError(`library folder not found: ${dir}`, { field: "dir" });
  const { files, ignored } = await listFiles(dir, baseDir);
  const scope = storedPath(dir, baseDir);
  const { pool } = deps.db.forTenant(input.tenant);
  if (input.rebuild) {
    const dropped = await pool.query(`DELETE FROM "library_documents" WHERE "tenant_id" = $1`, [input.tenant]);
    await deps.db.upkeep.releaseEmptyVectorIndexes("library_chunks");
    logger.info({ name: "library-dropped", documents: dropped.rowCount }, "library dropped for a rebuild");
  }

  const existing = await pool.query<{ id: string; path: string; content_hash: string; model: string | null }>(
    `SELECT d."id", d."path", d."content_hash", (SELECT c."model" FROM "library_chunks" c WHERE c."document_id" = d."id" LIMIT 1) AS "model"
     FROM "library_documents" d WHERE d."tenant_id" = $1 AND (d."path" = $2 OR d."path" LIKE $3 OR $2 = '')`,
    [input.tenant, scope, `${scope.replace(/[\\%_]/g, "\\$&")}/%`],
  );
  const known = new Map(existing.rows.map((r) => [r.path, r]));
  const report: IndexLibraryReport = { dir, indexed: [], unchanged: [], removed: [], failed: [], ignored };

  for (const file of files) {
    try {
      const bytes = new Uint8Array(await readFile(file.abs));
      const hash = createHash("sha256").update(bytes).digest("hex");
      const before = known.get(file.rel);
      // Same bytes and same embedding model (or nothing to embed): nothing to do.
      if (before && before.content_hash === hash && (before.model === null || before.model === deps.embedder.model)) {
        report.unchanged.push(file.rel);
        continue;
      }
      const pages = await extractPages(bytes, file.mediaType);
      const chunks = chunkPages(pages, input);
      const vectors = chunks.length > 0 ? await deps.embedder.embed(chunks.map((c) => c.text)) : [];
      await replaceDocument(deps, input.tenant, file, hash, chunks, vectors);
      report.indexed.push({ path: file.rel, chunks: chunks.length, pages: file.mediaType === "application/pdf" ? pages.length : null });
      if (chunks.length === 0) logger.warn({ name: "library-document-empty", path: file.rel }, "no text found (a scanned PDF?)");
    } catch (e) {
      // One unreadable file must not stop the others; its previous version stays searchable.
      report.failed.push({ path: file.rel, error: (e as Error).message });
      logger.warn({ name: "library-document-failed", path: file.rel, err: e }, "could not index a library file");
    }
  }

  const present = new Set(files.map((f) => f.rel));
  const gone = existing.rows.filter((r) => !present.has(r.path));
  if (gone.length > 0) {
    await pool.query(`DELETE FROM "library_documents" WHERE "tenant_id" = $1 AND "id" = ANY($2::text[])`, [input.tenant, gone.map((g) => g.id)]);
    report.removed.push(...gone.map((g) => g.path).sort());
  }
  if (report.indexed.length > 0 || report.removed.length > 0) await deps.db.upkeep.analyzeVectorTable("library_chunks");
  logger.info(
    { name: "library-indexed", dir, indexed: report.indexed.length, unchanged: report.unchanged.length, removed: report.removed.length, failed: report.failed.length },
    "library indexed",
  );
  return report;
}

async function replaceDocument(
  deps: LibraryDeps,
  tenant: string,
  file: FoundFile,
  hash: string,
  chunks: ReturnType<typeof chunkPages>,
  vectors: number[][],
): Promise<void> {
  const dim = vectors[0]?.length ?? deps.embedder.dimension;
  if (vectors.length > 0) await deps.db.upkeep.ensureVectorIndex("library_chunks", { model: deps.embedder.model, dim });
  await withTransaction(deps.db.forTenant(tenant).pool, async (client) => {
    const doc = await client.query<{ id: string }>(
      `INSERT INTO "library_documents" ("id", "tenant_id", "path", "content_hash", "media_type", "chunk_count", "indexed_at")
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT ("tenant_id", "path") DO UPDATE SET "content_hash" = EXCLUDED."content_hash", "media_type" = EXCLUDED."media_type",
         "chunk_count" = EXCLUDED."chunk_count", "indexed_at" = EXCLUDED."indexed_at"
       RETURNING "id"`,
      [randomUUID(), tenant, file.rel, hash, file.mediaType, chunks.length],
    );
    const documentId = doc.rows[0]!.id;
    await client.query(`DELETE FROM "library_chunks" WHERE "document_id" = $1`, [documentId]);
    // Multi-row inserts keep a large document to a few round trips.
    for (let start = 0; start < chunks.length; start += 200) {
      const batch = chunks.slice(start, start + 200);
      const values: unknown[] = [];
      const rows = batch.map((c, i) => {
        values.push(randomUUID(), tenant, documentId, c.idx, c.text, c.page, deps.embedder.model, dim, vectorLiteral(vectors[start + i]!, dim));
        const b = values.length - 9;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}::vector)`;
      });
      await client.query(`INSERT INTO "library_chunks" ("id", "tenant_id", "document_id", "idx", "text", "page", "model", "dim", "embedding") VALUES ${rows.join(",")}`, values);
    }
  });
}
