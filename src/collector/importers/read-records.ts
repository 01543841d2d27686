// Reads records from a log stream in bounded memory, whatever one record holds: a JSON array
// (element by element), JSON Lines (one record per line), or pretty-printed JSON documents one
// after another (trace files). The stream is split into records at the byte level and each record
// is buffered only up to `maxRecordBytes`: past it the record's bytes are skipped, not kept, and
// it is reported as too large. Each record is then checked to be UTF-8 and parsed with JSON.parse.
//
// Written here rather than with a streaming JSON parser (@streamparser/json, stream-json): those
// build each element in memory and hold a whole string token while they read it, so one 50 MB
// record takes 50 MB and more. Finding where a record ends needs only the nesting depth and whether
// we are inside a string; the parsing itself stays JSON.parse's.
import { isUtf8 } from "node:buffer";
import { storableText } from "../../domain/input-safety.js";

/** Default largest record, in bytes: the trace body limit's default (`ingest_max_body_bytes`). */
export const DEFAULT_MAX_RECORD_BYTES = 5 * 1024 * 1024;

export interface RawRecord {
  /** 0-based position of the record in the file. */
  index: number;
  /** 1-based line number (JSON Lines only). */
  line?: number;
  value?: unknown;
  /** Set when the record cannot be read: not JSON, not UTF-8, too large, or cut short. */
  parseError?: string;
}

export interface ReadRecordsOptions {
  /** Records larger than this many bytes are skipped and reported. Default DEFAULT_MAX_RECORD_BYTES. */
  maxRecordBytes?: number;
}

/** One record's bytes as the splitter found them. */
interface Piece {
  bytes?: Buffer;
  line?: number;
  /** Why the record has no bytes to parse. */
  problem?: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const isWs = (b: number) => WS.has(b);

/** Collects one record's bytes up to `max`; past it, only remembers that it overflowed. */
class RecordBuffer {
  private parts: Buffer[] = [];
  private size = 0;
  overflow = false;
  constructor(private readonly max: number) {}
  add(bytes: Buffer): void {
    if (this.overflow || bytes.length === 0) return;
    if (this.size + bytes.length > this.max) {
      this.overflow = true;
      this.parts = [];
      return;
    }
    this.parts.push(bytes);
    this.size += bytes.length;
  }
  take(line?: number): Piece {
    const piece: Piece = this.overflow ? { problem: `the record is larger than ${this.max} bytes, the per-record limit (ingest_max_body_bytes); it was skipped` } : { bytes: Buffer.concat(this.parts, this.size) };
    this.parts = [];
    this.size = 0;
    this.overflow = false;
    return line === undefined ? piece : { ...piece, line };
  }
  get empty(): boolean {
    return this.size === 0 && !this.overflow;
  }
  /** True when the buffered bytes are all whitespace (a blank line). */
  blank(): boolean {
    return !this.overflow && this.parts.every((p) => p.every(isWs));
  }
}

/** Splits JSON Lines: a record per line, a line never held beyond `max` bytes. */
class LineSplitter {
  private readonly record: RecordBuffer;
  private line = 0;
  constructor(max: number) {
    this.record = new RecordBuffer(max);
  }
  push(chunk: Buffer, out: Piece[]): void {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      this.record.add(chunk.subarray(from, nl));
      this.emit(out);
      from = nl + 1;
    }
    this.record.add(chunk.subarray(from));
  }
  end(out: Piece[]): void {
    if (!this.record.empty) this.emit(out);
  }
  private emit(out: Piece[]): void {
    this.line++;
    if (this.record.blank()) this.record.take();
    else out.push(this.record.take(this.line));
  }
}

/**
 * Splits JSON values that follow one another: the elements of an array (`inArray`: after its `[`,
 * separated by commas, closed by `]`) or whole documents separated by whitespace. Tracks only
 * nesting depth and string state; malformed values are cut where their brackets balance and left
 * for JSON.parse to report.
 */
class ValueSplitter {
  private readonly record: RecordBuffer;
  private state: "start" | "between" | "value" | "after" = "start";
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The value is a bare scalar (number, literal): it ends at a separator. */
  private scalar = false;
  private trailingReported = false;
  constructor(
    max: number,
    private readonly inArray: boolean,
  ) {
    this.record = new RecordBuffer(max);
    if (!inArray) this.state = "between";
  }

  push(chunk: Buffer, out: Piece[]): void {
    let start = this.state === "value" ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.state === "value") {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (b === 0x5c) this.escaped = true;
          else if (b === 0x22) {
            this.inString = false;
            if (this.depth === 0) {
              this.finish(chunk.subarray(start, i + 1), out);
              start = -1;
            }
          }
          continue;
        }
        if (this.scalar) {
          if (isWs(b) || b === 0x2c || b === 0x5d || b === 0x5b || b === 0x7b) {
            this.finish(chunk.subarray(start, i), out);
            start = -1;
            i--; // the separator is read in the "between" state
          }
          continue;
        }
        if (b === 0x22) this.inString = true;
        else if (b === 0x7b || b === 0x5b) this.depth++;
        else if (b === 0x7d || b === 0x5d) {
          this.depth--;
          if (this.depth <= 0) {
            this.finish(chunk.subarray(start, i + 1), out);
            start = -1;
          }
        }
        continue;
      }
      if (isWs(b)) continue;
      if (this.state === "start") {
        // The splitter was chosen because the first character is `[`.
        this.state = "between";
        continue;
      }
      if (this.state === "after") {
        if (!this.trailingReported) out.push({ problem: "unexpected content after the end of the JSON array" });
        this.trailingReported = true;
        return;
      }
      if (this.inArray && b === 0x2c) continue;
      if (this.inArray && b === 0x5d) {
        this.state = "after";
        continue;
      }
      this.state = "value";
      start = i;
      this.depth = 0;
      this.scalar = false;
      if (b === 0x22) this.inString = true;
      else if (b === 0x7b || b === 0x5b) this.depth = 1;
      else if (b === 0x7d || b === 0x5d) {
        // A stray closing bracket is a malformed record of its own.
        this.finish(chunk.subarray(i, i + 1), out);
        start = -1;
      } else this.scalar = true;
    }
    if (start >= 0) this.record.add(chunk.subarray(start));
  }

  end(out: Piece[]): void {
    if (this.state === "value" && !(this.scalar && !this.inString)) {
      this.record.take();
      out.push({ problem: "the body ended inside this record: it is incomplete" });
      return;
    }
    if (this.state === "value") out.push(this.record.take());
    if (this.inArray && this.state !== "after") out.push({ problem: "the JSON array is not closed: the body may have been cut short" });
  }

  private finish(last: Buffer, out: Piece[]): void {
    this.record.add(last);
    out.push(this.record.take());
    this.state = "between";
    this.inString = false;
    this.escaped = false;
    this.depth = 0;
    this.scalar = false;
  }
}

type Splitter = { push(chunk: Buffer, out: Piece[]): void; end(out: Piece[]): void };

/** Bytes of a UTF-8 byte order mark at the start of `head`, if any. */
const bomLength = (head: Buffer) => (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0);

/**
 * Chooses the format from the first bytes: `[` is a JSON array; `{` alone on its line starts
 * pretty-printed documents; anything else is JSON Lines. Returns undefined while undecided.
 */
function detect(head: Buffer, max: number): Splitter | undefined {
  let i = bomLength(head);
  while (i < head.length && isWs(head[i]!)) i++;
  if (i >= head.length) return head.length > max ? new LineSplitter(max) : undefined;
  if (head[i] === 0x5b) return new ValueSplitter(max, true);
  if (head[i] !== 0x7b) return new LineSplitter(max);
  for (let j = i + 1; j < head.length; j++) {
    if (head[j] === 0x0a) return new ValueSplitter(max, false);
    if (!isWs(head[j]!)) return new LineSplitter(max);
  }
  return head.length > max ? new LineSplitter(max) : undefined;
}

function parsePiece(piece: Piece): Pick<RawRecord, "value" | "parseError"> {
  if (piece.problem !== undefined) return { parseError: piece.problem };
  const bytes = piece.bytes!;
  if (!isUtf8(bytes)) return { parseError: "not valid UTF-8 (invalid bytes would be stored as U+FFFD)" };
  try {
    return { value: JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, "")) as unknown };
  } catch (e) {
    // V8's message quotes the input, which may hold what the database cannot store.
    return { parseError: `not valid JSON: ${storableText((e as Error).message)}` };
  }
}

/**
 * Reads records from `chunks` (a file or request stream). Never throws for malformed content: a
 * record that cannot be read is yielded with `parseError`. Throws only when the stream itself
 * fails (e.g. the client aborted the upload); the record being read then is dropped.
 */
export async function* readRecords(chunks: AsyncIterable<Buffer | string>, options: ReadRecordsOptions = {}): AsyncGenerator<RawRecord> {
  const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let splitter: Splitter | undefined;
  let head: Buffer[] = [];
  let headSize = 0;
  let index = 0;
  const out: Piece[] = [];
  function* drain(): Generator<RawRecord> {
    for (const piece of out.splice(0)) yield { index: index++, ...(piece.line !== undefined ? { line: piece.line } : {}), ...parsePiece(piece) };
  }
  for await (const raw of chunks) {
    const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
    if (!splitter) {
      head.push(chunk);
      headSize += chunk.length;
      const all = Buffer.concat(head, headSize);
      splitter = detect(all, max);
      if (!splitter) continue;
      head = [];
      splitter.push(all.subarray(bomLength(all)), out);
    } else splitter.push(chunk, out);
    yield* drain();
  }
  if (!splitter && headSize > 0) {
    // Undecided at the end: blank, or `{` then blanks. JSON Lines reads (or skips) it as it is.
    splitter = new LineSplitter(max);
    splitter.push(Buffer.concat(head, headSize), out);
  }
  splitter?.end(out);
  yield* drain();
}
