// The engineer's sandbox: runs a generated JavaScript program in a separate Node.js process under
// the permission model (no file system, no child processes, no workers, no native addons), with an
// empty environment (no API keys or database URLs to print), a heap cap, a wall-clock limit and an
// output limit. prompts/metrics/engineer-outcome.mjs applies the same restrictions when it replays
// programs at compile time; it cannot import this module because it lives in the user's prompts
// repository, which may sit outside this package. Node 20's permission model does not cover the
// network, so a program could still open sockets: only run models you would let write code.
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";

export interface RunProgramOptions {
  /** Wall-clock limit in milliseconds; the process is killed (SIGKILL) after it. Default 5000. */
  timeoutMs?: number;
  /** Most bytes of standard output (and of standard error) kept; more fails the run. Default 65536. */
  maxOutputBytes?: number;
  /** V8 heap limit of the program, in MiB. Default 128. */
  maxHeapMb?: number;
  /** Aborting kills the program. */
  signal?: AbortSignal;
}

export type ProgramResult =
  | { ok: true; output: string; durationMs: number }
  | { ok: false; error: { code: "program_failed" | "program_timeout" | "program_output_limit" | "program_no_output"; message: string }; durationMs: number };

/** The line of stderr that names the error: Node prints the source line and a caret first. */
function reasonOf(stderr: string, fallback: string): string {
  const lines = (stderr || fallback).trim().split("\n");
  return (lines.find((l) => /^\s*[\w.]*(?:Error|Exception)\b(?::|\s|$)|ERR_[A-Z_]+/.test(l)) ?? lines.at(-1) ?? fallback).trim();
}

/** Runs `code` (CommonJS JavaScript) and returns what it printed, trimmed; never throws. */
export function runProgram(code: string, options: RunProgramOptions = {}): Promise<ProgramResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxOutputBytes = options.maxOutputBytes ?? 64 * 1024;
  const args = ["--experimental-permission", "--no-warnings", `--max-old-space-size=${options.maxHeapMb ?? 128}`, "-e", code];
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: maxOutputBytes, env: {}, cwd: tmpdir(), windowsHide: true, ...(options.signal ? { signal: options.signal } : {}) },
      (error, stdout, stderr) => {
        const durationMs = performance.now() - t0;
        const fail = (code: Extract<ProgramResult, { ok: false }>["error"]["code"], message: string) => resolve({ ok: false, error: { code, message }, durationMs });
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          if (e.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return fail("program_output_limit", `the program printed more than ${maxOutputBytes} bytes`);
          if (e.killed && (e.signal === "SIGKILL" || e.signal === "SIGTERM") && durationMs >= timeoutMs) return fail("program_timeout", `the program did not finish within ${timeoutMs} ms`);
          return fail("program_failed", `the program failed: ${reasonOf(String(stderr), error.message)}`);
        }
        const output = String(stdout).trim();
        if (output === "") return fail("program_no_output", "the program printed nothing");
        resolve({ ok: true, output, durationMs });
      },
    );
  });
}
