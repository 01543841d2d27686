// Readable summaries of traces for the CLI (`traces list`, `traces show`).
import type { Trace } from "../../domain/trace.js";
import type { TraceSummary } from "./list-traces.js";

const outcomeText = (t: Pick<Trace, "outcome">) => (t.outcome ? `${t.outcome.success ? "success" : "failure"}${t.outcome.score !== undefined ? ` (${t.outcome.score})` : ""}` : "no outcome");
const oneLine = (v: unknown, max = 100) => {
  const s = typeof v === "string" ? v : JSON.stringify(v) ?? "";
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function formatTraceList(traces: TraceSummary[]): string {
  if (traces.length === 0) return "No traces.";
  const rows = traces.map((t) => [t.id, t.agent, t.startedAt.replace(/\.\d+Z$/, "Z"), outcomeText(t), `${t.stepCount} steps`, t.durationMs !== undefined ? `${Math.round(t.durationMs)} ms` : ""]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export function formatTrace(t: Trace): string {
  const lines = [
    `Trace ${t.id}`,
    `  agent:     ${t.agent}${t.signature ? `  signature: ${t.signature}@${t.promptVersion ?? "?"}` : ""}`,
    `  started:   ${t.startedAt}${t.durationMs !== undefined ? `  (${Math.round(t.durationMs)} ms)` : ""}`,
    `  outcome:   ${outcomeText(t)}${t.outcome?.feedback ? ` — ${oneLine(t.outcome.feedback)}` : ""}`,
    ...(t.problem ? [`  problem:   ${[t.problem.id, t.problem.appName, t.problem.namespace].filter(Boolean).join(" / ")}${t.problem.description ? ` — ${oneLine(t.problem.description)}` : ""}`] : []),
    `  tokens:    ${t.tokens.prompt} prompt, ${t.tokens.completion} completion${t.costUsd !== undefined ? `, $${t.costUsd}` : ""}`,
    ...(t.parentTraceId ? [`  parent:    ${t.parentTraceId}`] : []),
    ...(t.input !== undefined ? [`  input:     ${oneLine(t.input)}`] : []),
    ...(t.output !== undefined ? [`  output:    ${oneLine(t.output)}`] : []),
    ...(t.outcome?.expected !== undefined ? [`  corrected: ${oneLine(t.outcome.expected)}`] : []),
    `  steps (${t.steps.length}):`,
  ];
  t.steps.forEach((s, i) => {
    const n = String(i + 1).padStart(3);
    if (s.type === "tool_call") lines.push(`  ${n}. tool ${s.name}(${oneLine(s.arguments, 60)}) ${s.success ? "ok" : "FAILED"}${s.durationMs !== undefined ? ` ${Math.round(s.durationMs)} ms` : ""}${s.error ? ` — ${oneLine(s.error, 80)}` : s.response ? ` → ${oneLine(s.response, 80)}` : ""}`);
    else if (s.type === "thinking") lines.push(`  ${n}. thinking: ${oneLine(s.reasoning)}${s.toolChoice ? ` [→ ${s.toolChoice}]` : ""}`);
    else lines.push(`  ${n}. llm ${s.model}: ${s.tokens.prompt}+${s.tokens.completion} tokens${s.durationMs !== undefined ? ` ${Math.round(s.durationMs)} ms` : ""}`);
  });
  return lines.join("\n");
}
