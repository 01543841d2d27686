// The import use case behind `meta-agent import <file>` and POST /v1/import: streams records,
// maps OpenAI chat logs (or reads trace files of the file mirror as they are), validates each,
// and stores them in batches. Memory stays bounded whatever the file or one record holds
// (read-records.ts); a bad record is counted and listed, never the end of the import; the
// event loop is given back between records and between pattern matches.
import type pg from "pg";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { TraceData } from "../../domain/trace.js";
import { findUnsafeValues, toInputIssues } from "../../domain/input-safety.js";
import { validateTrace, type ItemError } from "../ingest/ingest-traces.js";
import { storeTraces, type StoreFailure, type StoreOptions } from "../store-traces.js";
import type { PriceTable } from "../../domain/model-prices.js";
import { readRecords, type RawRecord } from "./read-records.js";
import { chatLogToTrace, getPath, markFailedToolCalls, taskValue, type ChatImportOptions } from "./chat-log-to-trace.js";
import { mapYielding } from "../../runtime/map-yielding.js";

export interface ImportOptions extends ChatImportOptions {
  /** Default 10000. */
  maxToolResponseChars?: number;
  /** Largest record in bytes; larger ones are skipped and listed. Default 5 MiB (`ingest_max_body_bytes` in the service). */
  maxRecordBytes?: number;
  /** Traces per database write. Default 200. */
  batchSize?: number;
  /** Invalid records listed in the summary (all are counted). Default 1000. */
  maxErrorsListed?: number;
  /** Called after each database write with the counts so far (the service records them in `imports`). */
  onProgress?: (summary: ImportSummary) => Promise<void> | void;
  /** Told the database's own text when it refuses a valid trace (the summary carries only a code). */
  onStoreFailure?: (failure: StoreFailure) => void;
  /** Told an unexpected error converting one record (the record is listed as invalid). */
  onRecordError?: (error: unknown, index: number) => void;
  /** Config `model_prices`: imported runs with tokens and no cost get their cost from it. */
  prices?: PriceTable;
}

export interface InvalidRecord {
  /** 0-based index of the record in the file. */
  index: number;
  /** 1-based line (JSON Lines). */
  line?: number;
  id?: string;
  errors: ItemError[];
}

export interface ImportSummary {
  /** Records read. The next record to send, when resuming a cut upload, is the one at this index. */
  total: number;
  /** New traces stored. */
  imported: number;
  /** Trace files whose stored copy changed. */
  updated: number;
  /** Already stored (importing the same file again). */
  skipped: number;
  invalid: number;
  errors: InvalidRecord[];
}

/** The source failed mid-import (e.g. the client aborted the upload); `summary` is what was stored. */
export class ImportInterruptedError extends Error {
  constructor(
    readonly summary: ImportSummary,
    cause: unknown,
  ) {
    super(`The import was interrupted after ${summary.total} records: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Whether a record is a trace of the file mirror / API format rather than a chat log. */
function isTraceRecord(v: unknown, messagesField: string): boolean {
  return !!v && typeof v === "object" && typeof (v as { agent?: unknown }).agent === "string" && typeof (v as { startedAt?: unknown }).startedAt === "string" && !Array.isArray(getPath(v, messagesField));
}

type Converted = { ok: true; trace: TraceData; mode: "update" | "skip" } | { ok: false; id?: string; errors: ItemError[] };

/** One record to a validated trace, or its errors. Async only to yield between a user pattern's matches. */
async function convert(rec: RawRecord, options: ImportOptions): Promise<Converted> {
  if (rec.parseError !== undefined) return { ok: false, errors: [{ path: "(root)", message: rec.parseError }] };
  // Unsafe values first: the chat mapping hashes and stringifies the record, which must not see
  // 10,000-deep nesting (a stack overflow used to abort the whole import).
  const unsafe = findUnsafeValues(rec.value);
  if (unsafe.length > 0) return { ok: false, errors: toInputIssues(unsafe) };
  const asTrace = isTraceRecord(rec.value, options.messagesField ?? "messages");
  let candidate: unknown = rec.value;
  // A trace file carries `task` itself; --task-field names another field that holds it.
  if (asTrace && options.taskField !== undefined && (rec.value as { task?: unknown }).task === undefined) {
    const task = taskValue(getPath(rec.value, options.taskField));
    if (task !== undefined) candidate = { ...(rec.value as object), task };
  }
  if (!asTrace) {
    const deferred = options.errorPattern !== undefined;
    const mapped = chatLogToTrace(rec.value, { ...options, deferErrorCheck: deferred });
    if (!mapped.ok) return { ok: false, errors: [{ path: mapped.path, message: mapped.message }] };
    if (deferred) {
      const pattern = options.errorPattern!;
      markFailedToolCalls(mapped.trace, mapped.toolResults, await mapYielding(mapped.toolResults, (r) => pattern.test(r.content)));
    }
    candidate = mapped.trace;
  }
  const checked = validateTrace(candidate, "", options.maxToolResponseChars);
  if (!checked.ok) return { ok: false, ...(checked.id !== undefined ? { id: checked.id } : {}), errors: checked.errors };
  return { ok: true, trace: checked.trace, mode: asTrace ? "update" : "skip" };
}

/**
 * Imports every record of `source` for `tenant` and answers the summary. Never throws for the
 * content: unreadable, oversized or invalid records are counted and listed by 0-based index.
 * Throws ImportInterruptedError when the source itself fails; the complete records read before
 * are stored first, so the error's summary is exactly what was stored.
 */
export async function importTraces(pool: pg.Pool, tenant: string, source: AsyncIterable<Buffer | string>, options: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { total: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, errors: [] };
  const maxListed = options.maxErrorsListed ?? 1000;
  const batchSize = options.batchSize ?? 200;
  type Pending = { trace: TraceData; where: Pick<InvalidRecord, "index" | "line"> };
  const batches: Record<"update" | "skip", Pending[]> = { update: [], skip: [] };
  const invalid = (rec: InvalidRecord) => {
    summary.invalid++;
    if (summary.errors.length < maxListed) summary.errors.push(rec);
  };
  const write = async (mode: NonNullable<StoreOptions["onConflict"]>) => {
    const batch = batches[mode];
    if (batch.length === 0) return;
    batches[mode] = [];
    const { results, failures } = await storeTraces(pool, tenant, batch.map((p) => p.trace), { onConflict: mode, ...(options.prices ? { prices: options.prices } : {}) });
    for (const status of results.values()) {
      if (status === "created") summary.imported++;
      else if (status === "updated") summary.updated++;
      else summary.skipped++;
    }
    const where = new Map(batch.map((p) => [p.trace.id, p.where]));
    for (const f of failures) {
      options.onStoreFailure?.(f);
      invalid({ ...where.get(f.id)!, id: f.id, errors: [{ path: "(root)", message: f.error }] });
    }
    await options.onProgress?.(summary);
  };

  const records = readRecords(source, options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes })[Symbol.asyncIterator]();
  let sliceStart = performance.now();
  for (;;) {
    let next: IteratorResult<RawRecord>;
    try {
      next = await records.next();
    } catch (e) {
      // The stream failed (not the content: readRecords never throws for that). Store the
      // complete records read so far, so that the summary says exactly what is stored.
      await write("update");
      await write("skip");
      throw new ImportInterruptedError(summary, e);
    }
    if (next.done) break;
    const rec = next.value;
    summary.total++;
    const where = { index: rec.index, ...(rec.line !== undefined ? { line: rec.line } : {}) };
    let converted: Converted;
    try {
      converted = await convert(rec, options);
    } catch (e) {
      // A bug in a mapping must cost one record, not the import (and not its summary).
      options.onRecordError?.(e, rec.index);
      converted = { ok: false, errors: [{ path: "(root)", message: "this record could not be converted (an internal error; the service log has the details)" }] };
    }
    if (!converted.ok) invalid({ ...where, ...(converted.id !== undefined ? { id: converted.id } : {}), errors: converted.errors });
    else {
      const { trace, mode } = converted;
      // A repeated id is written after the earlier record, as reading the file in order would
      // (one batch would keep only the last copy and count the others as skipped).
      if (batches[mode].some((p) => p.trace.id === trace.id)) await write(mode);
      batches[mode].push({ trace, where });
      if (batches[mode].length >= batchSize) await write(mode);
    }
    // Records of one chunk are converted back to back: give the event loop a turn now and then.
    if (performance.now() - sliceStart > 5) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  await write("update");
  await write("skip");
  return summary;
}
