// Runs the built CLI (bin/meta-agent.js) as a real child process.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/meta-agent.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `meta-agent ...args` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, options: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, cwd: options.cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal (with `processGroup`, to the whole group, as a terminal's Ctrl-C does) and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** Starts `meta-agent serve` and resolves once it prints its URL. */
export function startServe(env: Record<string, string>, options: { cwd?: string; timeoutMs?: number; processGroup?: boolean } = {}): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], { env: { ...process.env, PORT: "0", ...env }, cwd: options.cwd, detached: options.processGroup ?? false });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = /running at (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          stdout: () => stdout,
          stderr: () => stderr,
          async stop(signal = "SIGTERM") {
            const t0 = Date.now();
            if (options.processGroup) process.kill(-child.pid!, signal);
            else child.kill(signal);
            const code = await exited;
            return { code, ms: Date.now() - t0 };
          },
        });
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
