// Traces: a filterable, cursor-paged list (agent, outcome, signature and version, time, task or
// intent). Paging and filtering run in the database (collector/query/list-traces.ts).
import { z } from "zod";
import { listTraces } from "../../collector/query/list-traces.js";
import { listTraceFacets } from "../../collector/query/list-trace-facets.js";
import { listIntentMembers, listLatestIntents } from "../../analyzer/list-intent-members.js";
import { html, queryString, type Html } from "../html.js";
import { ms, outcomeBadge, preview, usd, when } from "../format.js";
import type { UiDeps } from "../ui-deps.js";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-12-01");
const text = z.string().max(200);

export const TracesQuerySchema = z.object({
  agent: text.optional(),
  outcome: z.enum(["", "success", "failure"]).optional(),
  signature: text.optional(),
  version: z.string().max(100).optional(),
  task: text.optional(),
  /** An intent of the latest analysis (its stratum id, from listLatestIntents). */
  intent: z.string().max(100).optional(),
  since: z.union([z.literal(""), day]).optional(),
  until: z.union([z.literal(""), day]).optional(),
  cursor: z.string().max(2000).optional(),
});
export type TracesQuery = z.infer<typeof TracesQuerySchema>;

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
const nonEmpty = (v: string | undefined) => (v ? v : undefined);

const select = (id: string, label: string, current: string | undefined, options: { value: string; label: string }[]) =>
  html`<div class="field"><label for="${id}">${label}</label><select id="${id}" name="${id}"><option value="">any</option>${options.map((o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ""}>${o.label}</option>`)}</select></div>`;

export async function renderTraces(deps: UiDeps, tenant: string, q: TracesQuery): Promise<Html> {
  const { pool } = deps.db.forTenant(tenant);
  const facets = await listTraceFacets(pool, tenant);
  const intents = await listLatestIntents(deps.db, tenant);
  const intent = nonEmpty(q.intent) ? await listIntentMembers(deps.db, tenant, q.intent!) : undefined;
  const page = await listTraces(pool, tenant, {
    ...(nonEmpty(q.agent) ? { agent: q.agent } : {}),
    ...(q.outcome ? { success: q.outcome === "success" ? "true" : "false" } : {}),
    ...(nonEmpty(q.signature) ? { signature: q.signature } : {}),
    ...(nonEmpty(q.version) ? { promptVersion: q.version } : {}),
    ...(nonEmpty(q.task) ? { task: q.task } : {}),
    ...(q.since ? { since: `${q.since}T00:00:00.000Z` } : {}),
    ...(q.until ? { until: nextDay(q.until) } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    limit: 50,
  }, nonEmpty(q.intent) ? { ids: intent?.traceIds ?? [] } : {});
  const signatures = [...new Set(facets.versions.map((v) => v.signature))];
  const filters = { agent: q.agent, outcome: q.outcome, signature: q.signature, version: q.version, task: q.task, intent: q.intent, since: q.since, until: q.until };
  const form = html`<form method="get" action="/ui/traces" class="filters" aria-label="Filter traces">
  ${select("agent", "Agent", q.agent, facets.agents.map((a) => ({ value: a, label: a })))}
  ${select("outcome", "Outcome", q.outcome, [{ value: "success", label: "success" }, { value: "failure", label: "failure" }])}
  ${select("signature", "Signature", q.signature, signatures.map((s) => ({ value: s, label: s })))}
  ${select("version", "Version", q.version, [...new Set(facets.versions.map((v) => v.version))].map((v) => ({ value: v, label: v })))}
  <div class="field"><label for="task">Task</label><input id="task" name="task" list="task-values" value="${q.task ?? ""}" autocomplete="off"><datalist id="task-values">${facets.tasks.map((t) => html`<option value="${t}"></option>`)}</datalist></div>
  ${select("intent", "Intent", q.intent, intents.map((i) => ({ value: i.id, label: `${i.agent}: ${i.label} (${i.size})` })))}
  <div class="field"><label for="since">From</label><input id="since" name="since" type="date" value="${q.since ?? ""}"></div>
  <div class="field"><label for="until">To</label><input id="until" name="until" type="date" value="${q.until ?? ""}"></div>
  <button type="submit">Filter</button> <a href="/ui/traces">Clear</a>
</form>`;
  const rows = page.traces.map(
    (t) => html`<tr>
  <td><a href="/ui/traces/${encodeURIComponent(t.id)}">${t.id}</a></td>
  <td>${t.agent}</td>
  <td>${t.signature ? `${t.signature}@${t.promptVersion ?? "?"}` : "–"}</td>
  <td>${t.task ?? "–"}</td>
  <td>${outcomeBadge(t.outcome?.success)}</td>
  <td>${when(t.startedAt)}</td>
  <td class="num">${ms(t.durationMs)}</td>
  <td class="num">${t.stepCount}</td>
  <td class="num">${t.tokens.prompt + t.tokens.completion}</td>
  <td class="num">${usd(t.costUsd)}</td>
  <td class="preview">${t.input === undefined ? "" : preview(t.input, 80)}</td>
</tr>`,
  );
  const note = nonEmpty(q.intent)
    ? intent
      ? html`<p class="note" data-testid="intent-note">Intent of ${intent.agent}: ${intent.label}. ${intent.traceIds.length} traces were clustered into it (a capped sample of the analysis window; see docs/dashboard.md).</p>`
      : html`<p class="error" role="alert">That intent is not stored (any more): run the analysis again and pick one of the latest intents.</p>`
    : "";
  return html`${form}
${note}
<table class="list" data-testid="trace-table">
<caption class="sr-only">Traces, newest first</caption>
<thead><tr><th scope="col">Trace</th><th scope="col">Agent</th><th scope="col">Version</th><th scope="col">Task</th><th scope="col">Outcome</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Steps</th><th scope="col">Tokens</th><th scope="col">Cost</th><th scope="col">Input</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="11" class="empty">No traces match these filters.</td></tr>`}</tbody>
</table>
<nav class="pager" aria-label="Pages">${q.cursor ? html`<a href="/ui/traces${queryString(filters)}">First page</a>` : ""} ${page.nextCursor ? html`<a rel="next" href="/ui/traces${queryString({ ...filters, cursor: page.nextCursor })}">Older traces</a>` : ""}</nav>`;
}
