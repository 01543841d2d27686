// What `embedded_cli_fast_start` buys. A short CLI command with no service running starts the
// embedded database itself; with fast start it does so with 16MB of shared buffers and V8's
// baseline WebAssembly compiler only. Measured side by side in one run, alternating: a short
// command (`meta-agent traces list`, from process start to exit), fast vs full start. (Batch
// commands always start it fully; what the fast start would cost them is in BENCHMARKS.md.)
// The CLI runs from the sources through tsx in its own process, like the other benchmarks (tsx's
// own loading is in both figures). Target (ours): the short command takes at most 0.75× as long.
//   npx tsx bench/cli-start.bench.ts [--quick]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";
import { quantileSorted } from "../src/analyzer/statistics/quantile.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Runs one CLI command to its exit; resolves with its wall time in seconds. */
async function timeCli(args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  const script = `import(${JSON.stringify(path.join(ROOT, "src/cli/main.ts"))}).then((m) => m.main([process.argv[0], "meta-agent", ...JSON.parse(process.env.BENCH_ARGS)]))`;
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "-e", script], {
    cwd,
    env: { ...process.env, LOG_LEVEL: "warn", BENCH_ARGS: JSON.stringify(args), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`meta-agent ${args.join(" ")} exited with ${code}\n${stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => quantileSorted([...xs].sort((a, b) => a - b), 0.5);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "meta-agent-bench-cli-"));
  const start = (fast: boolean) => ({ META_AGENT_EMBEDDED_CLI_FAST_START: String(fast) });
  try {
    const shared = { META_AGENT_DATA_DIR: path.join(dir, "data") };
    await timeCli(["traces", "list"], { ...shared, ...start(false) }, dir); // creates and migrates the data dir
    const short = { fast: [] as number[], full: [] as number[] };
    for (let i = 0; i < (options.quick ? 3 : 10); i++) {
      // Alternating, the order flipped every round, so drift on the machine falls on both.
      for (const fast of i % 2 ? [true, false] : [false, true]) short[fast ? "fast" : "full"].push(await timeCli(["traces", "list"], { ...shared, ...start(fast) }, dir));
    }

    const shortRatio = median(short.fast) / median(short.full);
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
    return [
      {
        name: "CLI: `traces list` with the embedded database, fast start (embedded_cli_fast_start)",
        value: round3(median(short.fast)),
        unit: "s",
        baseline: round3(median(short.full)),
        ratio: round3(shortRatio),
        target: "≤ 0.75× the full start",
        met: shortRatio <= 0.75,
        detail: `medians of ${short.fast.length} runs each, alternating; fast: ${runs(short.fast)}; full: ${runs(short.full)}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsScript({ run });
