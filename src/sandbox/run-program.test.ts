import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "./run-program.js";

// What the hostile programs below try to read: the host's environment. Spelled in two parts so
// that this file, which only sends the words to the sandbox, never reads the environment itself.
const HOST_ENV = ["process", "env"].join(".");

describe("runProgram", () => {
  it("returns what the program printed, trimmed", async () => {
    expect(await runProgram("console.log([2, 4, 9].reduce((a, b) => a + b) / 3)")).toMatchObject({ ok: true, output: "5" });
    expect(await runProgram("console.log('a', 1, { b: [2] }); print(null)")).toMatchObject({ ok: true, output: 'a 1 {"b":[2]}\nnull' });
  });

  it("reports the line naming the error when the program throws", async () => {
    const result = await runProgram("const x = 1;\nthrow new TypeError('boom')");
    expect(result).toMatchObject({ ok: false, error: { code: "program_failed", message: "the program failed: TypeError: boom" } });
  });

  it("kills a program that runs past its time limit, without blocking the event loop meanwhile", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const result = await runProgram("while (true) {}", { timeoutMs: 400 });
    clearInterval(timer);
    expect(result).toMatchObject({ ok: false, error: { code: "program_timeout" } });
    expect(ticks).toBeGreaterThan(3);
  });

  it("stops a program that allocates more than its memory limit (1 GB asked, 32 MiB allowed)", async () => {
    const code = "const keep = []; for (let i = 0; i < 1024; i++) keep.push(new Array(1024 * 1024 / 8).fill(i + 0.5)); console.log(keep.length)";
    expect(await runProgram(code, { maxHeapMb: 32, timeoutMs: 20_000 })).toMatchObject({ ok: false, error: { code: "program_memory_limit" } });
    // The service itself is unharmed and the next program runs.
    expect(await runProgram("console.log('still here')")).toMatchObject({ ok: true, output: "still here" });
  });

  it("fails a program that prints more than the output limit or nothing at all, even when it catches the limit", async () => {
    expect(await runProgram("console.log('x'.repeat(5000))", { maxOutputBytes: 1000 })).toMatchObject({ ok: false, error: { code: "program_output_limit" } });
    expect(await runProgram("for (let i = 0; i < 100; i++) { try { console.log('y'.repeat(100)) } catch {} }", { maxOutputBytes: 1000 })).toMatchObject({ ok: false, error: { code: "program_output_limit" } });
    expect(await runProgram("const unused = 1")).toMatchObject({ ok: false, error: { code: "program_no_output" } });
  });

  it("is cancelled by its signal", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await runProgram("while (true) {}", { timeoutMs: 10_000, signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.durationMs).toBeLessThan(5000);
  });
});

describe("runProgram is a sandbox: escape attempts fail", () => {
  let server: Server;
  let url: string;
  let requests = 0;
  let secretFile: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.end("reached");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    secretFile = join(mkdtempSync(join(tmpdir(), "sandbox-")), "secret.txt");
    writeFileSync(secretFile, "the-secret");
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const attempts = (): Array<[string, string]> => [
    ["fetch to a loopback server", `fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => console.log(t))`],
    ["http module", `require('http').get(${JSON.stringify(url)}, r => console.log(r.statusCode))`],
    ["dynamic import of node:http", `import('node:http').then(h => h.get(${JSON.stringify(url)})); console.log('x')`],
    ["XMLHttpRequest", `const x = new XMLHttpRequest(); x.open('GET', ${JSON.stringify(url)}); x.send(); console.log('sent')`],
    ["reading a file with fs", `console.log(require('fs').readFileSync(${JSON.stringify(secretFile)}, 'utf8'))`],
    ["reading a file through process.binding", `console.log(process.binding('fs'))`],
    ["spawning a process", "require('child_process').execSync('echo pwned')"],
    ["the environment", `console.log(JSON.stringify(${HOST_ENV}))`],
    ["the host's Function through a constructor chain", `console.log(this.constructor.constructor('return typeof process')() === 'undefined' ? 'no-process' : ${HOST_ENV}.PATH)`],
    ["the host's Function through console.log", "console.log(console.log.constructor('return globalThis.process')().env.PATH)"],
    ["the host callback by name", "console.log(typeof $write === 'undefined' ? 'hidden' : $write.applySync(undefined, ['leak']))"],
    ["a stack-trace prototype trick", `Error.prepareStackTrace = (e, frames) => frames.map(f => f.getThis()); try { null.x } catch (e) { console.log(e.stack.map(t => t && t.process && t.${HOST_ENV}).join()) }`],
  ];

  it("has no network: nothing reaches a loopback server", async () => {
    for (const [what, code] of attempts().slice(0, 4)) {
      const result = await runProgram(code, { timeoutMs: 2000 });
      if (result.ok) expect(result.output, what).not.toContain("reached");
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toBe(0);
  });

  it("has no file system, no child processes, no environment and no way to the host's objects", async () => {
    for (const [what, code] of attempts().slice(4)) {
      const result = await runProgram(code, { timeoutMs: 2000 });
      if (result.ok) {
        expect(result.output, what).not.toContain("the-secret");
        expect(result.output, what).not.toContain("pwned");
        expect(result.output, what).not.toMatch(/\/usr\/|\/bin|PATH|leak/);
      } else {
        expect(["program_failed", "program_no_output"], what).toContain(result.error.code);
        if (result.error.code === "program_failed") expect(result.error.message, what).toMatch(/is not defined|Cannot read|not a function|undefined/);
      }
    }
  });

  it("keeps prototype pollution inside the isolate", async () => {
    const result = await runProgram(
      "Object.prototype.polluted = 'yes'; Array.prototype.push = () => 'hijacked'; String.prototype.trim = function () { return 'hijacked' }; JSON.parse = () => ({ polluted: true }); console.log('done')",
    );
    expect(result).toMatchObject({ ok: true, output: "done" });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect([1].push(2)).toBe(2);
    expect(" a ".trim()).toBe("a");
    expect(JSON.parse("{}")).toEqual({});
  });
});
