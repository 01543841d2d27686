import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readRecords, type RawRecord } from "./read-records.js";

async function read(text: string | Buffer, chunk = 7, maxRecordBytes?: number): Promise<RawRecord[]> {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const parts = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const out: RawRecord[] = [];
  for await (const r of readRecords(Readable.from(parts), maxRecordBytes === undefined ? {} : { maxRecordBytes })) out.push(r);
  return out;
}

describe("readRecords", () => {
  it("streams the elements of a JSON array", async () => {
    expect((await read('  [ {"a": 1}, {"b": "é"} , 3, "x]y", [1,[2]] ]')).map((r) => r.value)).toEqual([{ a: 1 }, { b: "é" }, 3, "x]y", [1, [2]]]);
    expect((await read('\uFEFF[{"a":"}\\"{"}]', 3)).map((r) => r.value)).toEqual([{ a: '}"{' }]);
  });

  it("reads JSON Lines and reports a bad line by number without stopping", async () => {
    const recs = await read('{"a":1}\n\n{oops\r\n{"c":3}');
    expect(recs.map((r) => [r.index, r.line, r.value ?? "error"])).toEqual([[0, 1, { a: 1 }], [1, 3, "error"], [2, 4, { c: 3 }]]);
    expect(recs[1]!.parseError).toBeTruthy();
  });

  it("reads pretty-printed JSON documents (trace files) one after another", async () => {
    const doc = JSON.stringify({ id: "x", steps: [1, 2] }, null, 2);
    expect((await read(`${doc}\n${doc}`)).map((r) => r.value)).toEqual([{ id: "x", steps: [1, 2] }, { id: "x", steps: [1, 2] }]);
  });

  it("reports a malformed element, a truncated record and an unclosed array as records, and goes on past them", async () => {
    const recs = await read('[{"a":1}, {bad}, {"c":2}, {"b":');
    expect(recs.map((r) => r.value ?? r.parseError)).toEqual([{ a: 1 }, expect.stringMatching(/not valid JSON/), { c: 2 }, expect.stringMatching(/ended inside this record/)]);
    expect((await read('[{"a":1}')).map((r) => r.value ?? r.parseError)).toEqual([{ a: 1 }, expect.stringMatching(/not closed/)]);
    expect(await read("   \n ")).toEqual([]);
  });

  it("skips a record larger than the limit without holding it, and reads the next one", async () => {
    const big = JSON.stringify({ x: "y".repeat(5000) });
    const lines = await read(`${big}\n{"ok":1}\n`, 64, 1000);
    expect(lines.map((r) => r.value ?? r.parseError)).toEqual([expect.stringMatching(/larger than 1000 bytes/), { ok: 1 }]);
    const array = await read(`[${big}, {"ok":1}]`, 64, 1000);
    expect(array.map((r) => r.value ?? r.parseError)).toEqual([expect.stringMatching(/larger than 1000 bytes/), { ok: 1 }]);
  });

  it("refuses a record that is not UTF-8 instead of storing U+FFFD", async () => {
    const recs = await read(Buffer.concat([Buffer.from('{"id":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"ok":1}\n')]));
    expect(recs.map((r) => r.value ?? r.parseError)).toEqual([expect.stringMatching(/UTF-8/), { ok: 1 }]);
  });
});
