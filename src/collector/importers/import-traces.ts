// The import use case behind `meta-agent import <file>` and POST /v1/import: streams records,
// maps OpenAI chat logs (or reads trace files of the file mirror as they are), validates each,
// and stores them in batches. Memory stays bounded whatever the file size.
import type pg from "pg";
import type { TraceData } from "../../domain/trace.js";
import { validateTrace, type ItemError } from "../ingest/ingest-traces.js";
import { storeTraces, type StoreOptions } from "../store-traces.js";
import { readRecords } from "./read-records.js";
import { chatLogToTrace, getPath, taskValue, type ChatImportOptions } from "./chat-log-to-trace.js";

export interface ImportOptions extends ChatImportOptions {
  /** Default 10000. */
  maxToolResponseChars?: number;
  /** Traces per database write. Default 200. */
  batchSize?: number;
  /** Invalid records listed in the summary (all are counted). Default 1000. */
  maxErrorsListed?: number;
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
  /** Records read. */
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

/** Whether a record is a trace of the file mirror / API format rather than a chat log. */
function isTraceRecord(v: unknown, messagesField: string): boolean {
  return !!v && typeof v === "object" && typeof (v as { agent?: unknown }).agent === "string" && typeof (v as { startedAt?: unknown }).startedAt === "string" && !Array.isArray(getPath(v, messagesField));
}

/** Imports every record of `source` for `tenant`. Throws only if the file is not JSON / JSON Lines at all. */
export async function importTraces(pool: pg.Pool, tenant: string, source: AsyncIterable<Buffer | string>, options: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { total: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, errors: [] };
  const maxListed = options.maxErrorsListed ?? 1000;
  const batchSize = options.batchSize ?? 200;
  const batches: Record<"update" | "skip", TraceData[]> = { update: [], skip: [] };
  const invalid = (rec: InvalidRecord) => {
    summary.invalid++;
    if (summary.errors.length < maxListed) summary.errors.push(rec);
  };
  const write = async (mode: NonNullable<StoreOptions["onConflict"]>) => {
    const batch = batches[mode];
    if (batch.length === 0) return;
    batches[mode] = [];
    const { results, failures } = await storeTraces(pool, tenant, batch, { onConflict: mode });
    for (const status of results.values()) {
      if (status === "created") summary.imported++;
      else if (status === "updated") summary.updated++;
      else summary.skipped++;
    }
    // Ids repeated inside one batch collapse to one row; count the extra copies as skipped.
    summary.skipped += batch.length - results.size - failures.length;
    for (const f of failures) invalid({ index: -1, id: f.id, errors: [{ path: "(root)", message: f.error }] });
  };

  for await (const rec of readRecords(source)) {
    summary.total++;
    const where = { index: rec.index, ...(rec.line !== undefined ? { line: rec.line } : {}) };
    if (rec.parseError !== undefined) {
      invalid({ ...where, errors: [{ path: "(root)", message: `not valid JSON: ${rec.parseError}` }] });
      continue;
    }
    const asTrace = isTraceRecord(rec.value, options.messagesField ?? "messages");
    let candidate: unknown = rec.value;
    // A trace file carries `task` itself; --task-field names another field that holds it.
    if (asTrace && options.taskField !== undefined && (rec.value as { task?: unknown }).task === undefined) {
      const task = taskValue(getPath(rec.value, options.taskField));
      if (task !== undefined) candidate = { ...(rec.value as object), task };
    }
    if (!asTrace) {
      const mapped = chatLogToTrace(rec.value, options);
      if (!mapped.ok) {
        invalid({ ...where, errors: [{ path: mapped.path, message: mapped.message }] });
        continue;
      }
      candidate = mapped.trace;
    }
    const checked = validateTrace(candidate, "", options.maxToolResponseChars);
    if (!checked.ok) {
      invalid({ ...where, ...(checked.id !== undefined ? { id: checked.id } : {}), errors: checked.errors });
      continue;
    }
    const mode = asTrace ? "update" : "skip";
    batches[mode].push(checked.trace);
    if (batches[mode].length >= batchSize) await write(mode);
  }
  await write("update");
  await write("skip");
  return summary;
}
