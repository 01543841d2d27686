// The engineer's sandbox: runs a generated JavaScript program in a fresh V8 isolate
// (isolated-vm) that has no I/O bindings at all — no `require`, no `process`, no network, file
// system, child processes or environment — only the language and a `console` whose output is
// copied out as strings. The isolate has its own heap (bounded by `maxHeapMb`; crossing it
// disposes the isolate) and its own thread, so a busy program neither blocks the service's event
// loop nor outlives `timeoutMs`. Node 20's permission model was not enough: it leaves the network
// open. Nothing of the host is reachable from inside: no host object or function is passed in,
// only a callback that receives copied strings, so a polluted prototype stays in the isolate.
import ivm from "isolated-vm";

export interface RunProgramOptions {
  /** Wall-clock limit in milliseconds; the isolate is disposed after it. Default 5000. */
  timeoutMs?: number;
  /** Most bytes of output kept; more fails the run. Default 65536. */
  maxOutputBytes?: number;
  /** Heap limit of the program's isolate, in MiB (at least 8). Default 128. */
  maxHeapMb?: number;
  /** Aborting disposes the isolate. */
  signal?: AbortSignal;
}

export type ProgramErrorCode = "program_failed" | "program_timeout" | "program_output_limit" | "program_no_output" | "program_memory_limit";

export type ProgramResult = { ok: true; output: string; durationMs: number } | { ok: false; error: { code: ProgramErrorCode; message: string }; durationMs: number };

// Inside the isolate: console.* and print join their arguments like Node does for plain values
// and hand one string to the host. The host function is reached only through `$write`, deleted
// from the global object before the program starts.
const PRELUDE = `
(() => {
  const write = $write;
  delete globalThis.$write;
  const show = (v) => {
    if (typeof v === "string") return v;
    if (typeof v === "function") return "[Function " + (v.name || "anonymous") + "]";
    if (v instanceof Error) return v.stack || String(v);
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { return String(v); }
  };
  const line = (...args) => { write(args.map(show).join(" ") + "\\n"); };
  globalThis.console = Object.freeze({ log: line, info: line, warn: line, error: line, debug: line });
  globalThis.print = line;
})();
`;

class OutputLimitError extends Error {}

/** The first line of an error as a program's author would read it: `TypeError: boom`. */
function reasonOf(e: unknown): string {
  const text = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
  return text.split("\n")[0]!.trim();
}

/** Runs `code` (plain JavaScript, top-level statements) and returns what it printed, trimmed; never throws. */
export async function runProgram(code: string, options: RunProgramOptions = {}): Promise<ProgramResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxOutputBytes = options.maxOutputBytes ?? 64 * 1024;
  const t0 = performance.now();
  const done = (r: { ok: true; output: string } | { ok: false; error: { code: ProgramErrorCode; message: string } }): ProgramResult => ({ ...r, durationMs: performance.now() - t0 });
  if (options.signal?.aborted) return done({ ok: false, error: { code: "program_failed", message: "the program was cancelled before it started" } });

  const isolate = new ivm.Isolate({ memoryLimit: Math.max(8, options.maxHeapMb ?? 128) });
  let output = "";
  let bytes = 0;
  let overflowed = false;
  let timedOut = false;
  const onAbort = () => {
    if (!isolate.isDisposed) isolate.dispose();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  // `timeout` of run() bounds the isolate's own time; this also covers time spent compiling and
  // a host that is slow to hand the isolate a thread.
  const wallClock = setTimeout(() => {
    timedOut = true;
    onAbort();
  }, timeoutMs + 250);
  try {
    const context = await isolate.createContext();
    await context.global.set(
      "$write",
      new ivm.Callback((chunk: unknown) => {
        const text = String(chunk);
        bytes += Buffer.byteLength(text);
        if (bytes > maxOutputBytes) {
          overflowed = true;
          throw new OutputLimitError(`the program printed more than ${maxOutputBytes} bytes`);
        }
        output += text;
      }),
    );
    await context.eval(PRELUDE);
    const script = await isolate.compileScript(code, { filename: "program.js" });
    await script.run(context, { timeout: timeoutMs, release: true });
  } catch (e) {
    if (overflowed) return done({ ok: false, error: { code: "program_output_limit", message: `the program printed more than ${maxOutputBytes} bytes` } });
    const message = e instanceof Error ? e.message : String(e);
    if (/memory limit/i.test(message)) return done({ ok: false, error: { code: "program_memory_limit", message: `the program used more than ${options.maxHeapMb ?? 128} MiB of memory` } });
    if (timedOut || /timed out/i.test(message)) return done({ ok: false, error: { code: "program_timeout", message: `the program did not finish within ${timeoutMs} ms` } });
    if (options.signal?.aborted) return done({ ok: false, error: { code: "program_failed", message: "the program was cancelled" } });
    return done({ ok: false, error: { code: "program_failed", message: `the program failed: ${reasonOf(e)}` } });
  } finally {
    clearTimeout(wallClock);
    options.signal?.removeEventListener("abort", onAbort);
    if (!isolate.isDisposed) isolate.dispose();
  }
  // A program that caught the output-limit error and went on has still printed too much.
  if (overflowed) return done({ ok: false, error: { code: "program_output_limit", message: `the program printed more than ${maxOutputBytes} bytes` } });
  const printed = output.trim();
  if (printed === "") return done({ ok: false, error: { code: "program_no_output", message: "the program printed nothing" } });
  return done({ ok: true, output: printed });
}
