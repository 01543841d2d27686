// Starts `meta-agent serve` from the TypeScript sources (tsx) in a child process, so a benchmark
// measures the service in its own process (its own RSS, its own event loop), without a build.
// tsx is imported by absolute URL: the child runs in a temp dir, where a bare "tsx" does not resolve.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns the service with `env` (merged over the current environment; PORT defaults to 0) and
 * resolves once it prints its URL. Rejects if it exits first or takes over `timeoutMs` (default 60 s).
 */
export function startServiceProcess(env: Record<string, string>, options: { cwd?: string; timeoutMs?: number } = {}): Promise<ServiceProcess> {
  const script = `import(${JSON.stringify(path.join(ROOT, "src/cli/main.ts"))}).then((m) => m.main([process.argv[0], "meta-agent", "serve"]))`;
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "-e", script], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`service did not start in time\n${err}`));
    }, options.timeoutMs ?? 60_000);
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          pid: child.pid!,
          child,
          async stop() {
            if (child.exitCode === null) child.kill("SIGTERM");
            await exited;
          },
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before it started\n${err}`));
    });
  });
}
