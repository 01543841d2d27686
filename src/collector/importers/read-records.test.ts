import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { readRecords, type RawRecord } from "./read-records.js";

async function read(text: string, chunk = 7): Promise<RawRecord[]> {
  const parts = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => Buffer.from(text.slice(i * chunk, (i + 1) * chunk)));
  const out: RawRecord[] = [];
  for await (const r of readRecords(Readable.from(parts))) out.push(r);
  return out;
}

describe("readRecords", () => {
  it("streams the elements of a JSON array", async () => {
    expect((await read('  [ {"a": 1}, {"b": "é"} , 3 ]')).map((r) => r.value)).toEqual([{ a: 1 }, { b: "é" }, 3]);
  });

  it("reads JSON Lines and reports a bad line by number without stopping", async () => {
    const recs = await read('{"a":1}\n\n{oops\r\n{"c":3}');
    expect(recs.map((r) => [r.line, r.value ?? "error"])).toEqual([[1, { a: 1 }], [3, "error"], [4, { c: 3 }]]);
    expect(recs[1]!.parseError).toBeTruthy();
  });

  it("reads pretty-printed JSON documents (trace files) one after another", async () => {
    const doc = JSON.stringify({ id: "x", steps: [1, 2] }, null, 2);
    expect((await read(`${doc}\n${doc}`)).map((r) => r.value)).toEqual([{ id: "x", steps: [1, 2] }, { id: "x", steps: [1, 2] }]);
  });

  it("rejects a broken JSON array as a whole and yields nothing for an empty file", async () => {
    await expect(read('[{"a":1}, {"b":')).rejects.toThrow(SyntaxError);
    expect(await read("   \n ")).toEqual([]);
  });
});
