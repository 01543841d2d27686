// Runs the built CLI (bin/meta-agent.js) as a real child process. A data dir named by
// META_AGENT_DATA_DIR that has no database yet gets the run's migrated template (see
// database-template.ts) unless `emptyDatabase` asks for the first start on an empty one.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { tmpdir } from "node:os";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { seedDataDir } from "./database-template.js";
import { TEST_EMBEDDER_ENV } from "./embedder.js";

export const BIN = fileURLToPath(new URL("../../bin/meta-agent.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Seeds the embedded data dir a child process will use (not with DATABASE_URL). */
function prepareDataDir(env: Record<string, string>, options: { cwd?: string; emptyDatabase?: boolean }): void {
  const dataDir = env.META_AGENT_DATA_DIR;
  if (!dataDir || options.emptyDatabase || env.DATABASE_URL) return;
  seedDataDir(path.resolve(options.cwd ?? process.cwd(), dataDir));
}

/**
 * Where the services of this test file announce themselves (services_dir): its own directory, so
 * a CLI command of one test file never finds the service another file started.
 */
const SERVICES_DIR = path.join(tmpdir(), `meta-agent-test-services-${process.pid}-${randomUUID().slice(0, 8)}`);

/** The child's environment: the test's, on the hashing embedder unless it names one or `productEmbedder` asks for the product's default (TEST_EMBEDDER_ENV). */
function childEnv(env: Record<string, string>, options: { productEmbedder?: boolean }): NodeJS.ProcessEnv {
  return { ...process.env, META_AGENT_SERVICES_DIR: SERVICES_DIR, ...(options.productEmbedder ? {} : TEST_EMBEDDER_ENV), ...env };
}

/** Runs `meta-agent ...args` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}, options: { cwd?: string; input?: string; emptyDatabase?: boolean; productEmbedder?: boolean } = {}): Promise<CliResult> {
  prepareDataDir(env, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env, options), cwd: options.cwd });
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
export function startServe(env: Record<string, string>, options: { cwd?: string; timeoutMs?: number; processGroup?: boolean; emptyDatabase?: boolean; productEmbedder?: boolean; args?: string[] } = {}): Promise<ServeProcess> {
  prepareDataDir(env, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", ...(options.args ?? [])], { env: childEnv({ PORT: "0", ...env }, options), cwd: options.cwd, detached: options.processGroup ?? false });
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
