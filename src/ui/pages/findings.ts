// Findings: the latest patterns of each agent with their evidence — crude and within-strata
// (adjusted) effect, confidence and p-value, the strata compared within, failure reasons, and
// example traces one click away — and what appeared or vanished since the previous run.
import { z } from "zod";
import { getPatternSummary } from "../../analyzer/list-patterns.js";
import type { AnalysisStratum, Pattern } from "../../domain/pattern.js";
import { html, type Html } from "../html.js";
import { badge, num, pct, pValue, signedPct } from "../format.js";
import type { UiDeps } from "../ui-deps.js";

export const FindingsQuerySchema = z.object({ agent: z.string().max(200).optional() });

const changeKind = (c: string) => (c === "new" || c === "strengthened" ? "ok" : c === "vanished" || c === "weakened" ? "bad" : "none");

function failureReasons(stats: Record<string, unknown>): Html {
  const reasons = stats["failureReasons"];
  if (!Array.isArray(reasons) || reasons.length === 0) return html``;
  return html`<div><h4>Failure reasons</h4><ul>${reasons.slice(0, 5).map((r) => {
    const reason = r as { reason?: unknown; count?: unknown; share?: unknown };
    return html`<li><code>${String(reason.reason ?? "")}</code> — ${String(reason.count ?? "?")} calls (${pct(typeof reason.share === "number" ? reason.share : null)})</li>`;
  })}</ul></div>`;
}

function otherStats(stats: Record<string, unknown>): Html {
  const scalars = Object.entries(stats).filter(([, v]) => typeof v === "number" || typeof v === "string" || typeof v === "boolean");
  if (scalars.length === 0) return html``;
  return html`<dl class="facts small">${scalars.map(([k, v]) => html`<div><dt>${k}</dt><dd>${typeof v === "number" ? num(v) : String(v)}</dd></div>`)}</dl>`;
}

const traceLinks = (ids: string[], label: string) =>
  ids.length ? html`<div><h4>${label}</h4><ul class="inline-list">${ids.slice(0, 8).map((id) => html`<li><a href="/ui/traces/${encodeURIComponent(id)}">${id}</a></li>`)}</ul></div>` : html``;

function finding(p: Pattern): Html {
  return html`<article class="finding card" data-change="${p.change}" aria-labelledby="p-${p.id}">
  <h3 id="p-${p.id}">${p.description}</h3>
  <p>${badge(p.change, changeKind(p.change))} ${badge(p.type.replace(/_/g, " "), "type")} ${p.actionable ? badge("actionable", "ok") : badge("observed", "none")} ${badge(p.evidenceKind, "none")} ${p.impliedBy ? html`<span class="muted">implied by <code>${p.impliedBy}</code></span>` : ""}</p>
  <table class="evidence"><caption class="sr-only">Evidence</caption><tbody>
    <tr><th scope="row">Traces with it</th><td>${p.support} (${pct(p.frequency, 1)} of analysed)</td></tr>
    <tr><th scope="row">Crude effect</th><td>${signedPct(p.effect)} against a baseline of ${pct(p.baseline, 1)}</td></tr>
    <tr><th scope="row">Adjusted effect (within strata)</th><td>${p.adjustedEffect === null ? "no stratum compares" : signedPct(p.adjustedEffect)}${p.adjustedPValue !== null ? `, p ${pValue(p.adjustedPValue)}` : ""}</td></tr>
    <tr><th scope="row">Confidence</th><td>${pct(p.confidence, 1)}${p.pValue !== undefined ? `, p ${pValue(p.pValue)}` : ""}</td></tr>
  </tbody></table>
  ${p.recommendations.length ? html`<div><h4>Recommendations</h4><ul>${p.recommendations.map((r) => html`<li>${r}</li>`)}</ul></div>` : ""}
  ${failureReasons(p.stats)}
  ${traceLinks(p.evidence.failure, "Example failing traces")}
  ${traceLinks(p.evidence.success, "Example successful traces")}
  <details><summary>All statistics</summary>${otherStats(p.stats)}<p class="muted">key <code>${p.key}</code></p></details>
</article>`;
}

function strataTable(strata: AnalysisStratum[]): Html {
  if (strata.length === 0) return html``;
  return html`<details><summary>Strata compared within (${strata.length})</summary><table><caption class="sr-only">Strata</caption>
<thead><tr><th scope="col">Group</th><th scope="col">Kind</th><th scope="col">Traces</th><th scope="col">With outcome</th><th scope="col">Success rate</th></tr></thead>
<tbody>${strata.map((s) => html`<tr><th scope="row">${s.label}</th><td>${s.kind}</td><td>${s.size}</td><td>${s.labelled}</td><td>${pct(s.labelled ? s.successes / s.labelled : null, 1)}</td></tr>`)}</tbody></table></details>`;
}

export async function renderFindings(deps: UiDeps, tenant: string, q: z.infer<typeof FindingsQuerySchema>): Promise<Html> {
  const { patterns, summary, strata } = await getPatternSummary(deps.db, { tenant, ...(q.agent ? { agent: q.agent } : {}), includeVanished: true, confidenceThreshold: deps.confidenceThreshold });
  if (patterns.length === 0) return html`<p class="empty">No findings yet: the analyzer runs in each learning cycle (or <code>meta-agent analyze</code>) once an agent has enough traces.</p>`;
  const agents = [...new Set(patterns.map((p) => p.agent))];
  return html`<p>${summary.totalPatterns} current findings, ${summary.actionablePatterns} actionable, ${summary.highConfidencePatterns} at or above the confidence threshold (${pct(deps.confidenceThreshold)}).</p>
${agents.map((agent) => {
  const mine = patterns.filter((p) => p.agent === agent);
  const appeared = mine.filter((p) => p.change === "new");
  const vanished = mine.filter((p) => p.change === "vanished");
  const current = mine.filter((p) => p.change !== "vanished");
  return html`<section aria-labelledby="agent-${agent}"><h2 id="agent-${agent}">${agent}</h2>
  <div class="card changes"><h3>Since the previous analysis run</h3>
    <div><strong>Appeared (${appeared.length}):</strong> ${appeared.length ? html`<ul>${appeared.map((p) => html`<li><a href="#p-${p.id}">${p.description}</a></li>`)}</ul>` : "none"}</div>
    <div><strong>Vanished (${vanished.length}):</strong> ${vanished.length ? html`<ul data-testid="vanished">${vanished.map((p) => html`<li>${p.description}</li>`)}</ul>` : "none"}</div>
  </div>
  ${strataTable(strata.filter((s) => s.agent === agent))}
  ${current.map(finding)}
</section>`;
})}`;
}
