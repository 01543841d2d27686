// One trace: its facts, then its steps as a timeline (an SVG bar per step, placed by start time or
// one after another) and in detail — tool calls with arguments, responses, errors and durations,
// reasoning, model calls with tokens.
import { getTrace, type StoredTrace } from "../../collector/query/get-trace.js";
import type { TraceStep } from "../../domain/trace.js";
import { html, queryString, type Html } from "../html.js";
import { ms, outcomeBadge, pretty, usd, when } from "../format.js";
import type { UiDeps } from "../ui-deps.js";

interface Placed {
  step: TraceStep;
  start: number;
  duration: number;
}

/** Start offsets (ms from the trace's start) and durations; steps without times follow each other. */
function place(trace: StoredTrace): Placed[] {
  const t0 = Date.parse(trace.startedAt);
  let cursor = 0;
  return trace.steps.map((step) => {
    const duration = "durationMs" in step && step.durationMs !== undefined ? step.durationMs : 0;
    const start = step.startedAt ? Math.max(0, Date.parse(step.startedAt) - t0) : cursor;
    cursor = Math.max(cursor, start + duration);
    return { step, start, duration };
  });
}

const label = (s: TraceStep) => (s.type === "tool_call" ? s.name : s.type === "thinking" ? `thinking${s.toolChoice ? ` → ${s.toolChoice}` : ""}` : `llm ${s.model}`);
const kind = (s: TraceStep) => (s.type === "tool_call" ? (s.success ? "tool" : "tool-failed") : s.type === "thinking" ? "thinking" : "llm");

function timeline(placed: Placed[]): Html {
  const total = Math.max(1, ...placed.map((p) => p.start + p.duration));
  const rowH = 22;
  const width = 1000;
  const labelW = 220;
  const scale = (width - labelW - 10) / total;
  return html`<svg class="timeline" viewBox="0 0 ${width} ${placed.length * rowH + 24}" role="img" aria-label="${`Timeline of ${placed.length} steps over ${ms(total)}`}" data-testid="timeline">
${placed.map(
  (p, i) => html`<g class="step ${kind(p.step)}"><title>${`${i + 1}. ${label(p.step)} — ${p.duration ? ms(p.duration) : "no duration"}`}</title>
<text x="4" y="${i * rowH + 15}">${`${i + 1}. ${label(p.step)}`.slice(0, 34)}</text>
<rect x="${labelW + p.start * scale}" y="${i * rowH + 4}" width="${Math.max(3, p.duration * scale)}" height="${rowH - 8}" rx="2"></rect></g>`,
)}
<text x="${labelW}" y="${placed.length * rowH + 18}" class="axis">0</text><text x="${width - 10}" y="${placed.length * rowH + 18}" class="axis" text-anchor="end">${ms(total)}</text>
</svg>`;
}

function stepDetail(step: TraceStep, i: number): Html {
  const head = html`<span class="step-no">${i + 1}</span>`;
  if (step.type === "tool_call") {
    return html`<li class="step-detail ${kind(step)}">${head} <strong>tool ${step.name}</strong> ${step.success ? html`<span class="badge badge-ok">ok</span>` : html`<span class="badge badge-bad">failed</span>`} <span class="muted">${ms(step.durationMs)}</span>
  <details><summary>Arguments</summary><pre>${pretty(step.arguments)}</pre></details>
  ${step.error ? html`<p class="error">Error: ${step.error}</p>` : ""}
  ${step.response !== undefined ? html`<details><summary>Response</summary><pre>${step.response}</pre></details>` : ""}</li>`;
  }
  if (step.type === "thinking") {
    return html`<li class="step-detail thinking">${head} <strong>reasoning</strong>${step.toolChoice ? html` → <code>${step.toolChoice}</code>` : ""}<blockquote>${step.reasoning}</blockquote>${step.justification ? html`<p class="muted">Justification: ${step.justification}</p>` : ""}</li>`;
  }
  return html`<li class="step-detail llm">${head} <strong>model call ${step.model}</strong> <span class="muted">${step.tokens.prompt} prompt + ${step.tokens.completion} completion tokens · ${ms(step.durationMs)}</span>${step.messages ? html`<details><summary>Messages</summary><pre>${pretty(step.messages)}</pre></details>` : ""}</li>`;
}

export async function renderTrace(deps: UiDeps, tenant: string, id: string): Promise<{ title: string; body: Html }> {
  const t = await getTrace(deps.db.forTenant(tenant).pool, tenant, id);
  const placed = place(t);
  return {
    title: `Trace ${t.id}`,
    body: html`<dl class="facts">
  <div><dt>Agent</dt><dd><a href="/ui/traces${queryString({ agent: t.agent })}">${t.agent}</a></dd></div>
  <div><dt>Signature</dt><dd>${t.signature ? html`<a href="/ui/versions/${encodeURIComponent(t.signature)}">${t.signature}</a>@${t.promptVersion ?? "?"}` : "–"}</dd></div>
  <div><dt>Task</dt><dd>${t.task ?? "–"}</dd></div>
  <div><dt>Outcome</dt><dd>${outcomeBadge(t.outcome?.success)}${t.outcome?.score !== undefined ? ` score ${t.outcome.score}` : ""}${t.outcome?.feedback ? html` <span class="muted">${t.outcome.feedback}</span>` : ""}</dd></div>
  <div><dt>Started</dt><dd>${when(t.startedAt)}</dd></div>
  <div><dt>Duration</dt><dd>${ms(t.durationMs)}</dd></div>
  <div><dt>Tokens</dt><dd>${t.tokens.prompt} prompt + ${t.tokens.completion} completion</dd></div>
  <div><dt>Cost</dt><dd>${usd(t.costUsd)}</dd></div>
  ${t.parentTraceId ? html`<div><dt>Parent</dt><dd><a href="/ui/traces/${encodeURIComponent(t.parentTraceId)}">${t.parentTraceId}</a></dd></div>` : ""}
</dl>
${t.problem?.description ? html`<section class="card"><h2>Problem</h2><p>${t.problem.description}</p></section>` : ""}
<section class="card"><h2>Input and output</h2><h3>Input</h3><pre>${pretty(t.input ?? "")}</pre><h3>Output</h3><pre>${pretty(t.output ?? "")}</pre>${t.outcome?.expected ? html`<h3>Corrected output</h3><p class="muted">The right answer, recorded as a correction: the compiler's gold answer for this run.</p><pre>${pretty(t.outcome.expected)}</pre>` : ""}</section>
<section class="card"><h2>Timeline</h2>${placed.length ? timeline(placed) : html`<p class="empty">This trace has no steps.</p>`}
<ol class="steps" aria-label="Steps">${t.steps.map(stepDetail)}</ol></section>`,
  };
}
