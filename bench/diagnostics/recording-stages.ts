// Diagnostic, not a benchmark with a target: which stage of trace recording costs runSignature
// its latency at 32 concurrent calls? Runs the direct SDK call and runSignature with recorders
// that stop after successive stages, side by side in alternating blocks (as in
// orchestrator.bench.ts), and reports each path's p50 over the direct call's with a bootstrap
// 90% interval, the CPU the whole process (service and embedded database thread) and the
// simulator spend per call, and for the full recorder how many runs were not yet stored at the
// end of each block (a recorder that falls behind would look cheap by deferring its work).
//   npx tsx bench/diagnostics/recording-stages.ts [--blocks=8]
// Stages: none (record() does nothing) · queued (held for the batch window, then dropped) ·
// prepared (validated, normalized, hashed, turned into rows and JSON, not written) · stored
// (the service's database recorder).
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { silentLogger } from "../../src/log/logger.js";
import { renderMessages } from "../../src/signature/render.js";
import { createRng } from "../../src/compiler/random.js";
import { createOrchestrator } from "../../src/orchestrator/create-orchestrator.js";
import { createSignatureRunner } from "../../src/orchestrator/run-signature.js";
import { createDatabaseTraceRecorder, type TraceRecorder } from "../../src/orchestrator/trace-recorder.js";
import { OpenAIChatModel } from "../../src/llm/openai-chat-model.js";
import { validateTrace } from "../../src/collector/ingest/ingest-traces.js";
import { traceContentHash } from "../../src/collector/trace-content.js";
import { stepToRow, traceToRow } from "../../src/collector/trace-rows.js";
import type { TraceData, TraceInput } from "../../src/domain/trace.js";
import { ECHO_VERSION, setUpEchoBench } from "../support/echo-signature.js";
import { pooledPercentile, tailDifference } from "../support/tail-difference.js";

const CONCURRENCY = 32;
const ROUNDS = 40;
const SETTLE_MS = 250;
const blocks = Number(process.argv.find((a) => a.startsWith("--blocks="))?.slice(9) ?? 8);

/** A recorder that holds traces for the batch window like the real one, then hands them to `stage`. */
function windowed(stage: (batch: TraceInput[]) => void): TraceRecorder {
  let pending: TraceInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  return {
    dropped: 0,
    record(_tenant, trace) {
      pending.push(trace);
      timer ??= setTimeout(() => {
        timer = undefined;
        const batch = pending;
        pending = [];
        stage(batch);
      }, 100);
    },
    async flush() {},
  };
}

function prepare(batch: TraceInput[]): void {
  const valid = batch.flatMap((t) => {
    const checked = validateTrace(t, "");
    return checked.ok ? [checked.trace] : [];
  });
  const rows = valid.map((t: TraceData) => traceToRow("default", t, traceContentHash(t)));
  const steps = valid.flatMap((t) => t.steps.map((s, i) => stepToRow("default", t.id, i, s)));
  JSON.stringify(rows);
  JSON.stringify(steps);
}

/** CPU seconds of a process from /proc (user + system), or NaN where there is no /proc. */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const bench = await setUpEchoBench("meta-agent-diag-");
const { sim, config, db } = bench;
const model = new OpenAIChatModel({ baseURL: sim.baseURL, model: "sim-chat", maxRetries: 0 });
const orchestrator = await createOrchestrator(config, db, silentLogger, { watch: false, cache: null, model });
const client = new OpenAI({ baseURL: sim.baseURL, apiKey: "unused", maxRetries: 0 });
let n = 0;
let storedRuns = 0;

const paths: Record<string, () => Promise<number>> = {
  direct: async () => {
    const values = { question: `What is the capital of France? #${n++}` };
    const t0 = performance.now();
    const res = await client.chat.completions.create({ model: "sim-chat", messages: renderMessages(ECHO_VERSION, values).map((m) => ({ role: m.role as "system" | "user", content: m.content })), temperature: 0, max_tokens: 64, response_format: { type: "json_object" } });
    JSON.parse(res.choices[0]!.message.content ?? "{}");
    return performance.now() - t0;
  },
};
const recorders: Record<string, TraceRecorder> = {
  none: { dropped: 0, record() {}, async flush() {} },
  queued: windowed(() => undefined),
  prepared: windowed(prepare),
  stored: createDatabaseTraceRecorder(db, silentLogger),
};
for (const [name, recorder] of Object.entries(recorders)) {
  const runSignature = createSignatureRunner({ registry: orchestrator.registry, model, recorder, logger: silentLogger });
  paths[name] = async () => {
    if (name === "stored") storedRuns++;
    const t0 = performance.now();
    await runSignature(ECHO_VERSION.name, { question: `What is the capital of France? #${n++}` });
    return performance.now() - t0;
  };
}

const random = createRng(20261202);
const latencies: Record<string, number[][]> = {};
const cpu: Record<string, { service: number; simulator: number; calls: number }> = {};
const backlog: number[] = [];
const order = Object.keys(paths);
try {
  for (let b = 0; b < blocks; b++) {
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    for (const name of order) {
      const round = () => Promise.all(Array.from({ length: CONCURRENCY }, () => paths[name]!()));
      const settle = performance.now();
      while (performance.now() - settle < SETTLE_MS) await round();
      const service0 = process.cpuUsage();
      const simulator0 = processCpu(sim.child.pid!);
      const block: number[] = [];
      for (let r = 0; r < ROUNDS; r++) block.push(...(await round()));
      const service = process.cpuUsage(service0);
      const c = (cpu[name] ??= { service: 0, simulator: 0, calls: 0 });
      c.service += (service.user + service.system) / 1e6;
      c.simulator += processCpu(sim.child.pid!) - simulator0;
      c.calls += ROUNDS * CONCURRENCY;
      (latencies[name] ??= []).push(block);
      if (name === "stored") backlog.push(storedRuns - Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM traces")).rows[0]!.n));
    }
  }
  const ms = (x: number) => x.toFixed(2);
  const us = (x: number) => `${Math.round(x * 1e6)} µs`;
  console.log(`${blocks} blocks of ${ROUNDS} rounds of ${CONCURRENCY} concurrent calls per path`);
  console.table(
    Object.keys(paths).map((name) => {
      const d = name === "direct" ? undefined : tailDifference(latencies.direct!, latencies[name]!, 50, { random });
      const c = cpu[name]!;
      return {
        path: name,
        "p50 ms": ms(pooledPercentile(latencies[name]!, 50)),
        "p50 over direct (90% interval)": d ? `${ms(d.estimate)} [${ms(d.low)}, ${ms(d.high)}]` : "—",
        "service CPU/call": us(c.service / c.calls),
        "simulator CPU/call": us(c.simulator / c.calls),
      };
    }),
  );
  console.log(`stored: runs not yet stored at the end of each block: ${backlog.join(" ")}`);
} finally {
  await recorders.stored!.flush();
  await orchestrator.close();
  await bench.close();
}
