// CPU per traced call (issue 26): what runSignature costs the service in processor time, beside the
// direct `openai` SDK call to the same simulator, at concurrency 1 and 32, over thousands of calls.
// process.cpuUsage() is getrusage(RUSAGE_SELF): user + system time of every thread of this
// process — the main thread, the embedded database's worker thread (PGlite executes the trace
// and step inserts there), libuv's pool and V8's GC threads. The simulator runs in a child
// process and is not counted. Each block runs one path for `calls` calls in a closed loop of
// `concurrency` callers and, for runSignature, ends with the recorder's flush, so the database
// writes of the block's traces are inside its CPU figure. Blocks alternate direct / runSignature
// in a seeded random order; the added CPU is the mean over block pairs of the difference per call,
// with a 95% t interval. Target: ≤ 250 µs added per call at concurrency 32.
// Production shape: the same block pairs with the database served by another process (reached by
// DATABASE_URL over TCP, as a production PostgreSQL would be): the service's own CPU per call, and
// the database process's CPU per call read from /proc/<pid>/stat, reported apart.
// Where the time goes: one extra runSignature block at 32 runs under V8's sampling profiler (the
// main thread) and the per-thread CPU of Linux's /proc/self/task splits main thread from the
// others; the top self-time entries, grouped by source, are in the row's detail and in
// bench/results/orchestrator-cpu-profile.txt.
//   npx tsx bench/orchestrator-cpu.bench.ts [--quick] [--shape=embedded|production]
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import OpenAI from "openai";
import { silentLogger } from "../src/log/logger.js";
import { renderMessages } from "../src/signature/render.js";
import { createRng } from "../src/compiler/random.js";
import { createOrchestrator } from "../src/orchestrator/create-orchestrator.js";
import { OpenAIChatModel } from "../src/llm/openai-chat-model.js";
import { ECHO_VERSION as VERSION, setUpEchoBench, ECHO_RESPONSE_FORMAT } from "./support/echo-signature.js";
import { runAsScript, type BenchOptions, type BenchResult } from "./types.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const TARGET_US = 250;
/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU (µs) of each thread of this process, by thread id, from /proc (Linux); empty elsewhere. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const tick = 1e6 / 100; // USER_HZ is 100 on Linux
    for (const tid of readdirSync("/proc/self/task")) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * tick);
    }
  } catch {
    // not Linux: no split
  }
  return out;
}

/** CPU (µs) of another process, all its threads, from /proc/<pid>/stat (Linux); NaN elsewhere. */
function processCpu(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100);
  } catch {
    return NaN;
  }
}

function meanInterval(xs: number[]): { mean: number; low: number; high: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: mean, high: mean };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (T975[Math.min(n - 1, T975.length) - 1] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half };
}

/** Self time of a CPU profile grouped by where the code lives. */
function groupProfile(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  // Shares are of the samples that used the CPU: idle samples are time spent waiting, not work.
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  const total = [...selfUs].reduce((a, [id, us]) => a + (idle.has(id) ? 0 : us), 0);
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (idle.has(id)) continue;
    const frame = byId.get(id)!.callFrame;
    const url = frame.url;
    const group =
      frame.functionName === "(garbage collector)" ? "garbage collection"
      : frame.functionName === "(program)" ? "V8/native (program)"
      : /\/src\/orchestrator\//.test(url) ? "meta-agent orchestrator/"
      : /\/src\/collector\//.test(url) ? "meta-agent collector/ (validation, hashing, rows)"
      : /\/src\/(signature|domain)\//.test(url) ? "meta-agent signature/ and domain/"
      : /\/src\/(llm|observability|runtime|db)\//.test(url) ? "meta-agent llm/, db/, metrics"
      : /node_modules\/openai\//.test(url) ? "openai SDK"
      : /node_modules\/zod\//.test(url) ? "zod"
      : /node_modules\/(pg|pg-protocol|pg-pool)\//.test(url) ? "pg driver"
      : /node_modules\/prom-client\//.test(url) ? "prom-client"
      : /node_modules\//.test(url) ? `other packages (${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? "?"})`
      : url.startsWith("node:") || url === "" ? "Node.js internals (http, streams, timers)"
      : "other";
    groups.set(group, (groups.get(group) ?? 0) + us);
    const fn = `${frame.functionName || "(anonymous)"} ${url.replace(/^.*\/(src|node_modules)\//, "$1/")}:${frame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const share = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ what: k, share: total > 0 ? us / total : 0 }));
  return { groups: share(groups), functions: share(functions).slice(0, 25) };
}

export async function run(options: BenchOptions & { shape?: "embedded" | "production" }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // The production shape first: the embedded shape leaves a larger heap behind (its profiled block and the database's traffic).
  if (options.shape !== "embedded") results.push(...(await measure(options, true)));
  if (options.shape !== "production") results.push(...(await measure(options, false)));
  return results;
}

/** The block pairs at 1 and 32 (and, embedded, the profile) with the database in this process or in another. */
async function measure(options: BenchOptions, databaseProcess: boolean): Promise<BenchResult[]> {
  const bench = await setUpEchoBench("meta-agent-cpu-bench-", databaseProcess ? { databaseProcess: true } : {});
  const { sim, config, db } = bench;
  const dbPid = bench.dbChild?.pid;
  const shape = databaseProcess ? ", database in another process (service CPU)" : "";
  const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
  const orchestrator = await createOrchestrator(config, db, silentLogger, { watch: true, cache: null, model });
  const client = new OpenAI({ baseURL: sim.baseURL, apiKey: "unused", maxRetries: 0 });
  const random = createRng(20261207);
  const results: BenchResult[] = [];
  let n = 0;

  const direct = async () => {
    const values = { question: `What is the capital of France? #${n++}` };
    const res = await client.chat.completions.create({ model: "sim-chat", messages: renderMessages(VERSION, values).map((m) => ({ role: m.role as "system" | "user", content: m.content })), temperature: 0, max_tokens: 64, response_format: ECHO_RESPONSE_FORMAT });
    JSON.parse(res.choices[0]!.message.content ?? "{}");
  };
  const traced = async () => {
    await orchestrator.runSignature("bench_echo", { question: `What is the capital of France? #${n++}` });
  };
  /** `calls` calls by `concurrency` callers in a closed loop; the runner's block includes its trace writes. */
  const block = async (fn: () => Promise<void>, calls: number, concurrency: number, flush: boolean) => {
    let left = calls;
    const worker = async () => {
      while (left > 0) {
        left--;
        await fn();
      }
    };
    const before = cpuMicros();
    const dbBefore = processCpu(dbPid);
    const threadsBefore = threadCpu();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (flush) await orchestrator.recorder.flush();
    const wallMs = performance.now() - t0;
    const threadsAfter = threadCpu();
    const main = String(process.pid);
    let mainUs = 0;
    let otherUs = 0;
    for (const [tid, us] of threadsAfter) {
      const d = us - (threadsBefore.get(tid) ?? 0);
      if (tid === main) mainUs += d;
      else otherUs += d;
    }
    return { cpuPerCall: (cpuMicros() - before) / calls, wallMs, mainPerCall: mainUs / calls, otherPerCall: otherUs / calls, dbPerCall: (processCpu(dbPid) - dbBefore) / calls };
  };

  try {
    // Warm-up: JIT, connections, the first trace batches.
    await block(direct, 300, 8, false);
    await block(traced, 300, 8, true);
    for (const concurrency of [1, 32]) {
      const calls = options.quick ? 300 : concurrency === 1 ? 1000 : 2000;
      const pairs = options.quick ? 3 : 8;
      const diffs: number[] = [];
      const directCpu: number[] = [];
      const tracedCpu: number[] = [];
      const split = { main: 0, other: 0, directMain: 0, directOther: 0, db: 0, directDb: 0 };
      for (let p = 0; p < pairs; p++) {
        const order = random() < 0.5 ? (["direct", "traced"] as const) : (["traced", "direct"] as const);
        const got: Record<string, Awaited<ReturnType<typeof block>>> = {};
        for (const which of order) got[which] = await block(which === "direct" ? direct : traced, calls, concurrency, which === "traced");
        directCpu.push(got.direct!.cpuPerCall);
        tracedCpu.push(got.traced!.cpuPerCall);
        diffs.push(got.traced!.cpuPerCall - got.direct!.cpuPerCall);
        split.main += got.traced!.mainPerCall / pairs;
        split.other += got.traced!.otherPerCall / pairs;
        split.directMain += got.direct!.mainPerCall / pairs;
        split.directOther += got.direct!.otherPerCall / pairs;
        split.db += got.traced!.dbPerCall / pairs;
        split.directDb += got.direct!.dbPerCall / pairs;
      }
      const added = meanInterval(diffs);
      const base = directCpu.reduce((a, b) => a + b, 0) / pairs;
      const tracedMean = tracedCpu.reduce((a, b) => a + b, 0) / pairs;
      const atTarget = concurrency === 32;
      const dbDetail = databaseProcess ? `; the database process (not counted above): ${Math.round(split.db)} µs per traced call, ${Math.round(split.directDb)} µs per direct call, so ${Math.round(added.mean + split.db - split.directDb)} µs added in both processes together` : "";
      results.push({
        name: `CPU added per traced call (runSignature + trace write) @ concurrency ${concurrency}${shape}`,
        value: Math.round(added.mean),
        unit: "µs",
        baseline: Math.round(base),
        ratio: Math.round((tracedMean / base) * 100) / 100,
        target: atTarget ? `≤ ${TARGET_US} µs added CPU per call` : "informational",
        // Met only when the whole interval is within the target; missed when the whole interval is beyond it.
        met: atTarget ? (added.high <= TARGET_US ? true : added.low > TARGET_US ? false : null) : null,
        detail: `all threads of the process (process.cpuUsage), ${pairs} block pairs of ${calls} calls: added ${Math.round(added.mean)} µs [${Math.round(added.low)}, ${Math.round(added.high)}] (95% t interval); traced ${Math.round(tracedMean)} µs vs direct ${Math.round(base)} µs per call; by thread (/proc): traced main ${Math.round(split.main)} + other threads (database worker, GC, libuv) ${Math.round(split.other)} µs, direct main ${Math.round(split.directMain)} + other ${Math.round(split.directOther)} µs${dbDetail}`,
      });
    }
    if (databaseProcess) {
      results.push({ name: "traces not stored (CPU benchmark, database in another process)", value: orchestrator.recorder.dropped, unit: "traces", baseline: null, ratio: null, target: "0", met: orchestrator.recorder.dropped === 0 });
      return results;
    }

    // Where the CPU goes: one profiled runSignature block at 32, and one direct block for comparison.
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    const profiled = async (fn: () => Promise<void>, flush: boolean) => {
      await session.post("Profiler.start");
      const b = await block(fn, options.quick ? 300 : 2000, 32, flush);
      const { profile } = await session.post("Profiler.stop");
      return { ...b, ...groupProfile(profile as Parameters<typeof groupProfile>[0]) };
    };
    const tracedProfile = await profiled(traced, true);
    const directProfile = await profiled(direct, false);
    session.disconnect();
    const lines = [
      `# CPU profile of the main thread, concurrency 32 (${new Date().toISOString()})`,
      `traced: ${Math.round(tracedProfile.cpuPerCall)} µs/call (main ${Math.round(tracedProfile.mainPerCall)}, other threads ${Math.round(tracedProfile.otherPerCall)}); direct: ${Math.round(directProfile.cpuPerCall)} µs/call (main ${Math.round(directProfile.mainPerCall)}, other ${Math.round(directProfile.otherPerCall)})`,
      "",
      "## runSignature: self time by source (share of the main thread's busy samples)",
      ...tracedProfile.groups.map((g) => `${(g.share * 100).toFixed(1).padStart(5)} %  ${g.what}  (~${Math.round(g.share * tracedProfile.mainPerCall)} µs/call)`),
      "",
      "## direct SDK call: self time by source",
      ...directProfile.groups.map((g) => `${(g.share * 100).toFixed(1).padStart(5)} %  ${g.what}  (~${Math.round(g.share * directProfile.mainPerCall)} µs/call)`),
      "",
      "## runSignature: top functions by self time",
      ...tracedProfile.functions.map((f) => `${(f.share * 100).toFixed(1).padStart(5)} %  ${f.what}`),
    ];
    mkdirSync(path.join(here, "results"), { recursive: true });
    writeFileSync(path.join(here, "results", options.quick ? "orchestrator-cpu-profile-quick.txt" : "orchestrator-cpu-profile.txt"), lines.join("\n") + "\n");
    const directGroups = new Map(directProfile.groups.map((g) => [g.what, g.share * directProfile.mainPerCall]));
    const extra = tracedProfile.groups
      .map((g) => ({ what: g.what, us: g.share * tracedProfile.mainPerCall - (directGroups.get(g.what) ?? 0) }))
      .sort((a, b) => b.us - a.us)
      .slice(0, 6);
    results.push({
      name: "where the added CPU goes @ concurrency 32 (main-thread profile)",
      value: Math.round(tracedProfile.otherPerCall - directProfile.otherPerCall),
      unit: "µs other threads",
      baseline: null,
      ratio: null,
      target: "informational",
      met: null,
      detail: `main thread, traced minus direct per call: ${extra.map((g) => `${g.what} ${Math.round(g.us)} µs`).join("; ")}; value: other threads (database worker, GC, libuv) traced minus direct; full profile in bench/results/orchestrator-cpu-profile.txt`,
    });
    results.push({ name: "traces not stored (CPU benchmark)", value: orchestrator.recorder.dropped, unit: "traces", baseline: null, ratio: null, target: "0", met: orchestrator.recorder.dropped === 0 });
  } finally {
    await orchestrator.close();
    await bench.close();
  }
  return results;
}

// Script entry only: bench/child.ts imports this module and must not run it twice.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const shape = process.argv.find((a) => a.startsWith("--shape="))?.slice("--shape=".length);
  await runAsScript({ run: (options) => run({ ...options, ...(shape === "embedded" || shape === "production" ? { shape } : {}) }) });
}
