import { describe, expect, it } from "vitest";
import { runProgram } from "./run-program.js";

describe("runProgram", () => {
  it("returns what the program printed, trimmed", async () => {
    expect(await runProgram("console.log([2, 4, 9].reduce((a, b) => a + b) / 3)")).toMatchObject({ ok: true, output: "5" });
  });

  it("reports the line naming the error when the program throws", async () => {
    const result = await runProgram("const x = 1;\nthrow new TypeError('boom')");
    expect(result).toMatchObject({ ok: false, error: { code: "program_failed", message: "the program failed: TypeError: boom" } });
  });

  it("denies file system, child process and worker access", async () => {
    for (const code of ["console.log(require('fs').readFileSync('/etc/hostname', 'utf8'))", "require('child_process').execSync('ls')", "new (require('worker_threads').Worker)('1', { eval: true })"]) {
      const result = await runProgram(code);
      expect(result, code).toMatchObject({ ok: false, error: { code: "program_failed", message: expect.stringMatching(/restricted|ERR_ACCESS_DENIED/) } });
    }
  });

  it("gives the program an empty environment, so it cannot print the service's secrets", async () => {
    expect(await runProgram("console.log(Object.keys(process[\"env\"]).length)")).toMatchObject({ ok: true, output: "0" });
  });

  it("kills a program that runs past its time limit", async () => {
    expect(await runProgram("while (true) {}", { timeoutMs: 300 })).toMatchObject({ ok: false, error: { code: "program_timeout" } });
  });

  it("fails a program that prints more than the output limit or nothing at all", async () => {
    expect(await runProgram("console.log('x'.repeat(5000))", { maxOutputBytes: 1000 })).toMatchObject({ ok: false, error: { code: "program_output_limit" } });
    expect(await runProgram("const unused = 1")).toMatchObject({ ok: false, error: { code: "program_no_output" } });
  });
});
