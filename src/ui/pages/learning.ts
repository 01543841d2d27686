// Learning: the tenant's cycles, newest first and cursor-paged — trigger, status, phases with
// their durations, and each signature's decision with its reason (why a candidate was not
// promoted), the scores compared, versions produced and errors.
import { z } from "zod";
import { listLearningCycles } from "../../learning/list-learning-cycles.js";
import type { CycleView } from "../../learning/cycle-record.js";
import { html, queryString, type Html } from "../html.js";
import { badge, ms, num, when } from "../format.js";
import type { UiDeps } from "../ui-deps.js";

export const LearningQuerySchema = z.object({ cursor: z.string().min(1).max(200).optional() });

const statusKind = (s: string) => (s === "completed" ? "ok" : s === "failed" || s === "abandoned" || s === "aborted" ? "bad" : "none");
const verdictKind = (v: string) => (v === "promoted" ? "ok" : v === "rejected" || v === "error" ? "bad" : "none");
const PHASE_LABELS: Record<string, string> = { analyzeMs: "analyze", compileMs: "compile, evaluate and gate", totalMs: "total" };

/** Phase durations: the cycle's total and, per signature, its analyze and compile phases. */
function phases(timings: Record<string, unknown>): Html {
  const rows: Html[] = [];
  for (const [key, value] of Object.entries(timings)) {
    if (typeof value === "number") rows.push(html`<li>${PHASE_LABELS[key] ?? key}: ${ms(value)}</li>`);
    else if (value && typeof value === "object")
      rows.push(html`<li>${key}: ${Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === "number").map(([k, v], i) => html`${i ? ", " : ""}${PHASE_LABELS[k] ?? k} ${ms(v as number)}`)}</li>`);
  }
  return rows.length ? html`<ul class="phases">${rows}</ul>` : html`<p class="muted">no timings</p>`;
}

function cycle(c: CycleView): Html {
  // The cycle's own measure of its run; the row's timestamps when it has none (aborted, abandoned).
  const total = c.timings["totalMs"];
  const duration = typeof total === "number" ? total : c.finishedAt ? Date.parse(c.finishedAt) - Date.parse(c.startedAt) : null;
  return html`<article class="card cycle" id="cycle-${c.id}" aria-labelledby="cycle-${c.id}-title">
<h2 id="cycle-${c.id}-title">${when(c.startedAt)} ${badge(c.status, statusKind(c.status))}</h2>
<p>${c.trigger} trigger${c.agent ? ` for ${c.agent}` : ""} · ${ms(duration)} · ${c.tracesRead} traces read · ${c.patternsFound} patterns · ${c.candidatesTried} candidates · ${c.llmCalls} model calls · ${c.tokens} tokens</p>
${c.reason ? html`<p class="reason">${c.reason}</p>` : ""}
<h3>Phases</h3>${phases(c.timings)}
${c.verdicts.length
  ? html`<h3>Decisions</h3><table class="list"><caption class="sr-only">Decisions of this cycle</caption><thead><tr><th scope="col">Signature</th><th scope="col">New traces</th><th scope="col">Decision</th><th scope="col">Candidate vs parent</th><th scope="col">Why</th></tr></thead>
<tbody>${c.verdicts.map((v) => html`<tr><th scope="row"><a href="/ui/versions/${encodeURIComponent(v.signature)}">${v.signature}</a></th><td>${v.newTraces}</td><td>${badge(v.verdict.replace("_", " "), verdictKind(v.verdict))}</td><td>${v.candidateVersion ?? "–"} ${v.score !== undefined && v.score !== null ? `(${num(v.score)})` : ""} vs ${v.parentVersion ?? "–"} ${v.parentScore !== undefined && v.parentScore !== null ? `(${num(v.parentScore)})` : ""}</td><td class="why">${v.reason}</td></tr>`)}</tbody></table>`
  : ""}
${c.versionsProduced.length ? html`<h3>Versions produced</h3><ul>${c.versionsProduced.map((v) => html`<li><a href="/ui/versions/${encodeURIComponent(v.signature)}${queryString({ from: v.parent ?? undefined, to: v.version })}#diff">${v.signature} ${v.version}</a> (${v.mode === "auto" ? "served" : "for review"} on ${v.branch})</li>`)}</ul>` : ""}
${c.errors.length ? html`<h3>Errors</h3><ul>${c.errors.map((e) => html`<li class="error">${e.signature ? `${e.signature}: ` : ""}${e.phase} — ${e.code}: ${e.message}${e.retryable ? " (retryable)" : ""}</li>`)}</ul>` : ""}
</article>`;
}

export async function renderLearning(deps: UiDeps, tenant: string, q: z.infer<typeof LearningQuerySchema>): Promise<Html> {
  const { cycles, nextCursor } = await listLearningCycles(deps.db, { tenant, limit: 20, ...(q.cursor ? { cursor: q.cursor } : {}) });
  if (cycles.length === 0) return html`<p class="empty">No learning cycle has run yet. The scheduler runs one every <code>learning_interval</code>; <code>meta-agent learn</code> runs one now.</p>`;
  return html`${cycles.map(cycle)}<nav class="pager" aria-label="Pages">${q.cursor ? html`<a href="/ui/learning">Newest cycles</a>` : ""} ${nextCursor ? html`<a rel="next" href="/ui/learning${queryString({ cursor: nextCursor })}">Older cycles</a>` : ""}</nav>`;
}
