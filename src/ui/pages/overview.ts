// Overview: per agent and signature, runs per day, success rate and cost over time (plots, with
// the numbers in a table for screen readers), the served version and the last learning cycle's
// outcome for that signature.
import { summarizeDailyTraffic, type DailyTraffic } from "../../collector/query/summarize-daily-traffic.js";
import { listLearningCycles } from "../../learning/list-learning-cycles.js";
import type { CycleView, VerdictRecord } from "../../learning/cycle-record.js";
import { currentOf } from "../../registry/list-history.js";
import { listMirror, listMirroredNames } from "../../registry/version-mirror.js";
import { html, jsonData, queryString, type Html } from "../html.js";
import { badge, pct, usd, when } from "../format.js";
import type { UiDeps } from "../ui-deps.js";

const DAY_MS = 86_400_000;

interface Group {
  agent: string;
  signature: string | null;
  days: DailyTraffic[];
}

/** Every day of the window, so a quiet day shows as zero runs rather than a gap in the line. */
function dayAxis(days: number, now = Date.now()): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

function groupTraffic(rows: DailyTraffic[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const k = `${r.agent}\u0000${r.signature ?? ""}`;
    const g = groups.get(k) ?? { agent: r.agent, signature: r.signature, days: [] };
    g.days.push(r);
    groups.set(k, g);
  }
  return [...groups.values()];
}

/** The newest verdict about `signature` among recent cycles, with its cycle. */
function lastVerdict(cycles: CycleView[], signature: string | null): { cycle: CycleView; verdict?: VerdictRecord } | undefined {
  for (const cycle of cycles) {
    const verdict = cycle.verdicts.find((v) => v.signature === signature);
    if (verdict) return { cycle, verdict };
  }
  return undefined;
}

const verdictKind = (v: string) => (v === "promoted" ? "ok" : v === "rejected" || v === "error" ? "bad" : "none");

export async function renderOverview(deps: UiDeps, tenant: string, query: { days: number }): Promise<Html> {
  const scoped = deps.db.forTenant(tenant);
  const traffic = await summarizeDailyTraffic(scoped.pool, tenant, { days: query.days });
  const groups = groupTraffic(traffic);
  const axis = dayAxis(query.days);
  const names = new Set(await listMirroredNames(deps.db, tenant));
  const served = new Map<string, string>();
  for (const name of names) {
    const current = currentOf(await listMirror(deps.db, tenant, name));
    if (current) served.set(name, current.version);
  }
  const { cycles } = await listLearningCycles(deps.db, { tenant, limit: 50 });
  const windowForm = html`<form method="get" action="/ui" class="filters">
  <div class="field"><label for="days">Window</label>
  <select id="days" name="days">${[7, 30, 90].map((d) => html`<option value="${d}"${d === query.days ? html` selected` : ""}>last ${d} days</option>`)}</select></div>
  <button type="submit">Show</button>
</form>`;
  if (groups.length === 0) {
    return html`${windowForm}<p class="empty">No traces in the last ${query.days} days. Send some with the SDK or <code>POST /v1/traces</code>.</p>${cyclesBlurb(cycles[0])}`;
  }
  const sections = groups.map((g, i) => {
    const byDay = new Map(g.days.map((d) => [d.day, d]));
    const series = axis.map((day) => byDay.get(day));
    const runs = series.map((d) => d?.runs ?? 0);
    const success = series.map((d) => (d && d.labelled > 0 ? d.successes / d.labelled : null));
    const cost = series.map((d) => (d ? d.costUsd : 0));
    const total = g.days.reduce((a, d) => ({ runs: a.runs + d.runs, labelled: a.labelled + d.labelled, successes: a.successes + d.successes, cost: a.cost + d.costUsd }), { runs: 0, labelled: 0, successes: 0, cost: 0 });
    const title = g.signature ? `${g.agent} · ${g.signature}` : g.agent;
    const version = g.signature ? served.get(g.signature) : undefined;
    const last = lastVerdict(cycles, g.signature);
    const id = `traffic-${i}`;
    const x = axis.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    return html`<section class="card group" aria-labelledby="${id}-title">
  <h2 id="${id}-title">${title}</h2>
  <dl class="facts">
    <div><dt>Runs</dt><dd>${total.runs}</dd></div>
    <div><dt>Success rate</dt><dd>${pct(total.labelled ? total.successes / total.labelled : null, 1)} <span class="muted">(${total.successes}/${total.labelled} with an outcome)</span></dd></div>
    <div><dt>Cost</dt><dd>${usd(total.cost)}</dd></div>
    <div><dt>Served version</dt><dd>${g.signature ? (version ? html`<a href="/ui/versions/${encodeURIComponent(g.signature)}">${version}</a>` : "baseline (never compiled)") : "–"}</dd></div>
    <div><dt>Last learning cycle</dt><dd>${last ? html`${badge(last.verdict?.verdict ?? last.cycle.status, verdictKind(last.verdict?.verdict ?? ""))} <a href="/ui/learning#cycle-${last.cycle.id}">${when(last.cycle.startedAt)}</a> <span class="muted">${last.verdict?.reason ?? ""}</span>` : "none yet"}</dd></div>
  </dl>
  <div class="charts">
    <figure><div class="chart" role="img" aria-label="${`Runs per day for ${title}`}" data-chart="${id}-runs" data-kind="bars" data-label="runs"></div><figcaption>Runs per day</figcaption></figure>
    <figure><div class="chart" role="img" aria-label="${`Success rate per day for ${title}`}" data-chart="${id}-success" data-kind="percent" data-label="success rate"></div><figcaption>Success rate (runs with an outcome)</figcaption></figure>
    <figure><div class="chart" role="img" aria-label="${`Cost per day for ${title}`}" data-chart="${id}-cost" data-kind="usd" data-label="cost (USD)"></div><figcaption>Cost per day (USD)</figcaption></figure>
  </div>
  ${jsonData(`${id}-runs`, { x, y: runs })}
  ${jsonData(`${id}-success`, { x, y: success })}
  ${jsonData(`${id}-cost`, { x, y: cost })}
  <details><summary>Numbers per day</summary>
  <table><caption class="sr-only">${title}: runs, success rate and cost per day</caption><thead><tr><th scope="col">Day</th><th scope="col">Runs</th><th scope="col">Success rate</th><th scope="col">Cost</th></tr></thead>
  <tbody>${g.days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.runs}</td><td>${pct(d.labelled ? d.successes / d.labelled : null, 1)}</td><td>${usd(d.costUsd)}</td></tr>`)}</tbody></table>
  <p><a href="/ui/traces${queryString({ agent: g.agent, signature: g.signature ?? undefined })}">Traces of ${title}</a></p>
  </details>
</section>`;
  });
  return html`${windowForm}${sections}`;
}

function cyclesBlurb(cycle: CycleView | undefined): Html {
  return cycle ? html`<p>Last learning cycle: ${badge(cycle.status, cycle.status === "completed" ? "ok" : "none")} ${when(cycle.startedAt)} — ${cycle.reason ?? ""}</p>` : html``;
}
