import { describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { loadSignature } from "../../signature/load-signatures.js";
import { resolveMetric } from "./resolve-metric.js";
import type { Example } from "../example.js";

const PROMPTS = fileURLToPath(new URL("../../../prompts", import.meta.url));
const example: Example = { id: "t", input: { problemStatement: "mean of 2, 4, 9" }, output: { language: "javascript", code: "", expectedAnswer: "5" }, success: true, score: 1, feedback: null, startedAt: "2026-01-01T00:00:00Z" };

describe("the engineer's outcome metric", () => {
  it("runs the program and compares what it prints with the recorded answer", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "engineer");
    const metric = await resolveMetric(signature, { signatureFile: file });
    expect(metric.name).toBe("outcome");
    expect((await metric.score(example, { language: "javascript", code: "console.log([2,4,9].reduce((a,b)=>a+b)/3)" })).score).toBe(1);
    expect(await metric.score(example, { language: "javascript", code: "console.log(6)" })).toEqual({ score: 0, feedback: 'the program printed "6", expected "5"' });
    expect((await metric.score(example, { language: "python", code: "print(5)" })).feedback).toMatch(/only JavaScript/);
  });

  it("compares with a failed run's correction rather than its wrong answer", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "engineer");
    const metric = await resolveMetric(signature, { signatureFile: file });
    const corrected: Example = { ...example, output: { language: "javascript", code: "", expectedAnswer: "6" }, success: false, score: 0, expected: { language: "javascript", code: "", expectedAnswer: "5" } };
    expect((await metric.score(corrected, { language: "javascript", code: "console.log(5)" })).score).toBe(1);
    expect((await metric.score(corrected, { language: "javascript", code: "console.log(6)" })).score).toBe(0);
  });

  it("replays the program in the service's sandbox: no files, no modules, no network, no environment", async () => {
    const { signature, file } = await loadSignature(PROMPTS, "engineer");
    const metric = await resolveMetric(signature, { signatureFile: file });
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("5");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leak`;
    try {
      const attempts: Array<[string, RegExp]> = [
        ["console.log(require('fs').readFileSync('/etc/hostname','utf8'))", /require is not defined/],
        ["console.log(process['env'].HOME)", /process is not defined/],
        [`fetch(${JSON.stringify(url)}).then((r) => r.text()).then(console.log)`, /fetch is not defined/],
        [`import(${JSON.stringify("node:http")}).then((h) => h.get(${JSON.stringify(url)}))`, /failed/],
        ["while (true) {}", /did not finish within 5000 ms/],
      ];
      for (const [code, why] of attempts) {
        const result = await metric.score(example, { language: "javascript", code });
        expect(result.score, code).toBe(0);
        expect(result.feedback, code).toMatch(why);
      }
      expect(hits).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
