// Reads records from a log stream in bounded memory: a JSON array (streamed element by element
// with @streamparser/json), JSON Lines (one record per line; a bad line is reported with its
// number and the rest still imports), or one pretty-printed JSON document (a trace file).
import { StringDecoder } from "node:string_decoder";
import { JSONParser } from "@streamparser/json";

export interface RawRecord {
  /** 0-based position of the record in the file. */
  index: number;
  /** 1-based line number (JSON Lines only). */
  line?: number;
  value?: unknown;
  /** Set when the record is not valid JSON. */
  parseError?: string;
}

/** Reads records from `chunks` (a file or request stream). Throws only when a JSON array or document itself is malformed. */
export async function* readRecords(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<RawRecord> {
  const decoder = new StringDecoder("utf8");
  const iterator = chunks[Symbol.asyncIterator]();
  let head = "";
  // Peek until the first non-blank character decides the format.
  while (!/\S/.test(head)) {
    const next = await iterator.next();
    if (next.done) return;
    head += typeof next.value === "string" ? next.value : decoder.write(next.value);
  }
  const rest: AsyncIterable<string> = {
    async *[Symbol.asyncIterator]() {
      yield head;
      for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield typeof n.value === "string" ? n.value : decoder.write(n.value);
      yield decoder.end();
    },
  };
  const first = head.trimStart();
  const firstLine = first.split("\n", 1)[0]!.trim();
  if (first.startsWith("[")) yield* readJson(rest, ["$.*"]);
  else if (firstLine === "{") yield* readJson(rest, ["$"]);
  else yield* readLines(rest);
}

async function* readJson(text: AsyncIterable<string>, paths: string[]): AsyncGenerator<RawRecord> {
  const parser = new JSONParser({ paths, keepStack: false, separator: "" });
  const ready: unknown[] = [];
  let failure: Error | undefined;
  parser.onValue = ({ value }) => void ready.push(value);
  parser.onError = (e) => void (failure ??= e);
  let index = 0;
  for await (const chunk of text) {
    if (chunk) parser.write(chunk);
    if (failure) throw new SyntaxError(`Malformed JSON after record ${index}: ${failure.message}`);
    while (ready.length > 0) yield { index: index++, value: ready.shift() };
  }
  if (!parser.isEnded) parser.end();
  if (failure) throw new SyntaxError(`Malformed JSON after record ${index}: ${(failure as Error).message}`);
  while (ready.length > 0) yield { index: index++, value: ready.shift() };
}

async function* readLines(text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let buffer = "";
  let line = 0;
  let index = 0;
  function* emit(raw: string): Generator<RawRecord> {
    line++;
    const s = raw.trim();
    if (!s) return;
    try {
      yield { index: index++, line, value: JSON.parse(s) as unknown };
    } catch (e) {
      yield { index: index++, line, parseError: (e as Error).message };
    }
  }
  for await (const chunk of text) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield* emit(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  }
  yield* emit(buffer);
}
