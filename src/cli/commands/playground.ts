// `meta-agent playground traffic`: agent traffic for the playground (`npm start -- --simulate`).
// Each incident is one real run of the served `diagnosis` version on the live service
// (POST /v1/signatures/diagnosis/run); the on-call engineer then confirms the fault type, so the
// run's trace is completed with the confirmed answer and a score saying whether the agent was
// right (POST /v1/traces with the run's id) — what your own agents' traces look like once
// feedback arrives.
import type { Command } from "commander";
import { cliContext, reportCliError } from "../context.js";
import { AppError } from "../../errors.js";

type Json = Record<string, unknown>;

async function call(url: string, init?: RequestInit): Promise<Json> {
  const res = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) {
    const error = (body["error"] ?? {}) as { code?: string; message?: string };
    throw new AppError(error.code ?? "http_error", `${init?.method ?? "GET"} ${url}: HTTP ${res.status} ${error.message ?? ""}`.trim(), { status: res.status });
  }
  return body;
}

/** The trace of a run, once the service has written it (runs are recorded in the background). */
async function storedTrace(base: string, id: string): Promise<Json> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await fetch(`${base}/v1/traces/${encodeURIComponent(id)}`);
    if (res.ok) return (await res.json()) as Json;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new AppError("trace_not_stored", `the trace ${id} of the run was not stored within 5 s`);
}

export function registerPlayground(program: Command): void {
  const playground = program.command("playground").description("the playground: a live service on the model simulator (npm start -- --simulate)");
  playground
    .command("traffic")
    .description("send incidents to the playground's diagnosis agent on the running service, each confirmed by the engineer")
    .option("-n, --count <n>", "incidents to send", "60")
    .option("--from <i>", "first incident number (default: after the ones already sent)")
    .option("--url <url>", "service URL (default: the running playground service)")
    .option("--json", "machine-readable output")
    .action(async (opts: { count: string; from?: string; url?: string; json?: boolean }) => {
      try {
        const count = Number.parseInt(opts.count, 10);
        if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new AppError("invalid_request", `--count: expected an integer from 1 to 10000 (got ${JSON.stringify(opts.count)})`, { status: 400 });
        const ctx = cliContext();
        const { findRunningServices } = await import("../../runtime/service-beacons.js");
        const running = findRunningServices(ctx.config.servicesDir);
        const base = (opts.url ?? (running.find((s) => s.settings?.["playground"] === true) ?? running[0])?.url)?.replace(/\/$/, "");
        if (!base) throw new AppError("no_service", "No running meta-agent service found: start the playground first with `npm start -- --simulate` (or pass --url).", { status: 404 });
        const { incident, SIGNATURE_NAME } = await import("../../demo/demo-scenario.js");
        let from = opts.from !== undefined ? Number.parseInt(opts.from, 10) : NaN;
        if (!Number.isInteger(from)) {
          // Continue after the incidents already sent, so each call brings new ones.
          let sent = 0;
          let cursor: string | undefined;
          do {
            const page = await call(`${base}/v1/traces?signature=${SIGNATURE_NAME}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
            sent += (page["traces"] as unknown[]).length;
            cursor = (page["nextCursor"] as string | null) ?? undefined;
          } while (cursor);
          from = sent;
        }
        const byVersion = new Map<string, { runs: number; correct: number; tokens: number }>();
        for (let i = from; i < from + count; i++) {
          const { report, faultType } = incident(i);
          const run = await call(`${base}/v1/signatures/${SIGNATURE_NAME}/run`, { method: "POST", body: JSON.stringify({ inputs: { incidentReport: report } }) });
          const outputs = run["outputs"] as Json;
          const right = outputs["faultType"] === faultType;
          // What the service adds to a stored trace is not part of what a client sends.
          const { tenant: _tenant, durationMs: _d, createdAt: _c, updatedAt: _u, ...trace } = await storedTrace(base, String(run["traceId"]));
          // The engineer's confirmation: the confirmed fault type is the gold answer; the score
          // says whether the agent had it right.
          const labelled = {
            ...trace,
            output: { faultType },
            outcome: { success: true, score: right ? 1 : 0, feedback: right ? "diagnosis confirmed" : `agent said ${String(outputs["faultType"])}` },
            metadata: { ...(trace["metadata"] as Json), agentAnswer: outputs["faultType"] },
          };
          await call(`${base}/v1/traces`, { method: "POST", body: JSON.stringify({ traces: [labelled] }) });
          const v = String(run["version"]);
          const agg = byVersion.get(v) ?? { runs: 0, correct: 0, tokens: 0 };
          agg.runs++;
          if (right) agg.correct++;
          agg.tokens += Number((run["usage"] as Json)["totalTokens"] ?? 0);
          byVersion.set(v, agg);
        }
        const rows = [...byVersion].map(([version, a]) => ({ version, ...a, accuracy: a.correct / a.runs, tokensPerRun: a.tokens / a.runs }));
        if (opts.json) return void console.log(JSON.stringify({ url: base, from, count, versions: rows }, null, 2));
        console.log(`Sent incidents ${from}–${from + count - 1} to ${base}.`);
        for (const r of rows) console.log(`  ${SIGNATURE_NAME} ${r.version}: ${r.correct}/${r.runs} diagnosed correctly (${Math.round(100 * r.accuracy)}%), ${Math.round(r.tokensPerRun)} tokens per run`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
