// Versions: the tenant's signatures with their served version; one signature's timeline (score
// and interval per version, plotted), what each version added and where it came from, a
// side-by-side diff of any two versions, rollback (confirmed on its own page), and the canary
// state when the service reports one.
import { z } from "zod";
import { listVersionDetails, type VersionDetail } from "../../registry/list-version-details.js";
import { listMirroredNames } from "../../registry/version-mirror.js";
import { showVersion } from "../../registry/show-version.js";
import { html, jsonData, queryString, type Html } from "../html.js";
import { badge, num, preview, when } from "../format.js";
import { sideBySide } from "../side-by-side.js";
import type { UiDeps } from "../ui-deps.js";
import { renderCanaries } from "./canaries.js";

const Version = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a semantic version such as 1.2.3");
export const SignatureParamsSchema = z.object({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, "must be a signature name").max(200) });
export const DiffQuerySchema = z.object({ from: Version.optional(), to: Version.optional() });

export async function renderSignatures(deps: UiDeps, tenant: string): Promise<Html> {
  const names = await listMirroredNames(deps.db, tenant);
  if (names.length === 0) return html`<p class="empty">No compiled versions yet. A learning cycle (or <code>meta-agent compile</code>) records the first one.</p>${await renderCanaries(deps, tenant, undefined)}`;
  const rows = [];
  for (const name of names) {
    const versions = await listVersionDetails(deps.registry, { tenant, name });
    const current = versions.find((v) => v.current);
    rows.push(html`<tr><th scope="row"><a href="/ui/versions/${encodeURIComponent(name)}">${name}</a></th><td>${current?.version ?? "–"}</td><td>${current?.score === null || current?.score === undefined ? "–" : num(current.score)}</td><td>${versions.length}</td><td>${when(current?.date)}</td></tr>`);
  }
  return html`<table class="list"><caption class="sr-only">Signatures</caption><thead><tr><th scope="col">Signature</th><th scope="col">Served</th><th scope="col">Score</th><th scope="col">Versions</th><th scope="col">Since</th></tr></thead><tbody>${rows}</tbody></table>
${await renderCanaries(deps, tenant, undefined)}`;
}

const statusKind = (s: string) => (s === "active" ? "ok" : s === "rejected" || s === "rolled_back" ? "bad" : "none");
const ci = (c: [number, number] | undefined) => (c ? `[${num(c[0])}, ${num(c[1])}]` : "");

function versionRow(v: VersionDetail, name: string): Html {
  const e = v.evaluation;
  return html`<tr id="v-${v.version}"${v.current ? html` class="current"` : ""}>
  <th scope="row">${v.version}${v.current ? html` ${badge("served", "ok")}` : ""}</th>
  <td>${badge(v.status.replace("_", " "), statusKind(v.status))}</td>
  <td>${when(v.date)}</td>
  <td>${v.parent ?? "–"}</td>
  <td>${e?.score ? html`${num(e.score.mean)} <span class="muted">${ci(e.score.ci)}</span>` : v.score === null ? "–" : num(v.score)}${e ? html`<br><span class="muted">${e.metric}, ${e.devSetSize} examples</span>` : ""}</td>
  <td>${e?.parentScore ? html`${num(e.parentScore.mean)} <span class="muted">${ci(e.parentScore.ci)}</span>` : "–"}</td>
  <td>${v.optimizer}${v.rollbackOf ? html`<br><span class="muted">restores ${v.rollbackOf}</span>` : ""}<br><span class="muted">${v.summary}</span></td>
  <td>${v.parent ? html`<a href="/ui/versions/${encodeURIComponent(name)}${queryString({ from: v.parent, to: v.version })}#diff">diff with ${v.parent}</a>` : ""}
  ${!v.current && v.status !== "candidate" && v.status !== "proposed" && v.status !== "rejected" ? html`<br><a href="/ui/versions/${encodeURIComponent(name)}/rollback${queryString({ to: v.version })}">Roll back to ${v.version}…</a>` : ""}</td>
</tr>`;
}

function additions(v: VersionDetail): Html {
  if (v.addedGuidelines.length === 0 && v.addedDemos.length === 0 && v.removedGuidelines.length === 0) return html``;
  return html`<article class="card" aria-labelledby="add-${v.version}"><h3 id="add-${v.version}">${v.version} added</h3>
  ${v.addedGuidelines.length ? html`<h4>Guidelines</h4><ul>${v.addedGuidelines.map((g) => html`<li>${g.text}${g.patternKey || g.patternId ? html`<br><span class="muted">from pattern <a href="/ui/findings#p-${g.patternId ?? ""}"><code>${g.patternKey ?? g.patternId}</code></a>${g.confidence !== undefined ? ` (confidence ${num(g.confidence)})` : ""}${g.evidence ? ` — ${g.evidence}` : ""}</span>` : ""}</li>`)}</ul>` : ""}
  ${v.removedGuidelines.length ? html`<h4>Guidelines dropped</h4><ul>${v.removedGuidelines.map((g) => html`<li><del>${g.text}</del></li>`)}</ul>` : ""}
  ${v.addedDemos.length ? html`<h4>Demos</h4><ul>${v.addedDemos.map((d) => html`<li>${preview(d.input, 100)} → ${preview(d.output, 80)}${d.traceId ? html` <a href="/ui/traces/${encodeURIComponent(d.traceId)}">trace ${d.traceId}</a>` : ""}</li>`)}</ul>` : ""}
</article>`;
}

async function diffSection(deps: UiDeps, tenant: string, name: string, versions: VersionDetail[], q: z.infer<typeof DiffQuerySchema>): Promise<Html> {
  const current = versions.find((v) => v.current) ?? versions.at(-1)!;
  const to = q.to ?? current.version;
  const from = q.from ?? versions.find((v) => v.version === to)?.parent ?? undefined;
  const toShown = await showVersion(deps.registry, { tenant, name, version: to });
  const fromShown = from ? await showVersion(deps.registry, { tenant, name, version: from }) : undefined;
  const rows = sideBySide(fromShown?.content ?? "", toShown.content);
  const options = (selected: string | undefined) => versions.map((v) => html`<option value="${v.version}"${v.version === selected ? html` selected` : ""}>${v.version}</option>`);
  const changed = rows.filter((r) => r.left?.kind !== "same").length;
  return html`<section id="diff" class="card" aria-labelledby="diff-title"><h2 id="diff-title">Diff ${from ?? "(nothing)"} → ${to}</h2>
<form method="get" action="/ui/versions/${encodeURIComponent(name)}#diff" class="filters" aria-label="Choose versions to compare">
  <div class="field"><label for="from">From</label><select id="from" name="from">${options(from)}</select></div>
  <div class="field"><label for="to">To</label><select id="to" name="to">${options(to)}</select></div>
  <button type="submit">Compare</button>
</form>
<p class="muted">${changed === 0 ? "The two versions are identical." : `${changed} changed lines.`}</p>
<table class="diff" data-testid="diff"><caption class="sr-only">Side-by-side diff of ${name} ${from ?? "(nothing)"} and ${to}</caption>
<colgroup><col class="ln"><col><col class="ln"><col></colgroup>
<thead><tr><th scope="col" colspan="2">${from ?? "(nothing)"}</th><th scope="col" colspan="2">${to}</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr><td class="ln">${r.left?.no ?? ""}</td><td class="${r.left ? r.left.kind : "blank"}">${r.left ? html`<span class="sr-only">${r.left.kind === "removed" ? "removed: " : ""}</span>${r.left.text}` : ""}</td><td class="ln">${r.right?.no ?? ""}</td><td class="${r.right ? r.right.kind : "blank"}">${r.right ? html`<span class="sr-only">${r.right.kind === "added" ? "added: " : ""}</span>${r.right.text}` : ""}</td></tr>`,
  )}</tbody></table></section>`;
}

export async function renderSignature(deps: UiDeps, tenant: string, name: string, q: z.infer<typeof DiffQuerySchema>): Promise<Html> {
  const versions = await listVersionDetails(deps.registry, { tenant, name });
  const scored = versions.filter((v) => v.evaluation?.score);
  // A version evaluated only as a parent (the hand-written baseline) is plotted with the score it
  // got then, on its child's dev set: the comparison the gate made.
  const scoreOf = (v: VersionDetail) => v.evaluation?.score ?? versions.find((c) => c.parent === v.version && c.evaluation?.parentScore)?.evaluation?.parentScore ?? null;
  const points = {
    labels: versions.map((v) => v.version),
    score: versions.map((v) => scoreOf(v)?.mean ?? null),
    low: versions.map((v) => scoreOf(v)?.ci[0] ?? null),
    high: versions.map((v) => scoreOf(v)?.ci[1] ?? null),
    status: versions.map((v) => v.status),
  };
  return html`<p><a href="/ui/versions">All signatures</a> · <a href="/ui/traces${queryString({ signature: name })}">Traces of ${name}</a></p>
<section class="card" aria-labelledby="score-title"><h2 id="score-title">Score per version</h2>
${scored.length ? html`<figure><div class="chart wide" role="img" aria-label="${`Dev-set score of each version of ${name} with its 95% interval`}" data-chart="scores" data-kind="versions" data-label="score"></div><figcaption>Mean score on the dev set with its bootstrap 95% interval (shaded); x: version. A version never evaluated on its own shows the score it had when its successor was compared with it.</figcaption></figure>${jsonData("scores", points)}` : html`<p class="empty">No evaluated version yet (a hand-written baseline has no score until a candidate is compared with it).</p>`}
</section>
${await renderCanaries(deps, tenant, name)}
<section class="card" aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>
<table class="list" data-testid="versions"><caption class="sr-only">Versions of ${name}, oldest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Date</th><th scope="col">Parent</th><th scope="col">Score [95% interval]</th><th scope="col">Parent score</th><th scope="col">How</th><th scope="col">Actions</th></tr></thead>
<tbody>${versions.map((v) => versionRow(v, name))}</tbody></table></section>
<section aria-labelledby="added-title"><h2 id="added-title">What each version added</h2>${[...versions].reverse().map(additions)}</section>
${await diffSection(deps, tenant, name, versions, q)}`;
}

/** The confirmation page of a rollback: what is served now, what will be restored. */
export async function renderRollbackConfirm(deps: UiDeps, tenant: string, name: string, to: string, csrf: string): Promise<Html> {
  const target = await showVersion(deps.registry, { tenant, name, version: to });
  const current = await showVersion(deps.registry, { tenant, name });
  const rows = sideBySide(current.content, target.content).filter((r) => r.left?.kind !== "same").length;
  return html`<div class="card confirm" role="region" aria-labelledby="confirm-title">
<h2 id="confirm-title">Roll ${name} back to ${to}?</h2>
<p>${name} is served at <strong>${current.row.version}</strong> now. Rolling back commits the content of <strong>${to}</strong> as a new patch version on the serving branch, which is served at once; ${current.row.version} is marked rolled back. History is not rewritten. ${rows} lines differ.</p>
<p><a href="/ui/versions/${encodeURIComponent(name)}${queryString({ from: current.row.version, to })}#diff">Review the diff first</a></p>
<form method="post" action="/ui/versions/${encodeURIComponent(name)}/rollback">
  <input type="hidden" name="csrf" value="${csrf}">
  <input type="hidden" name="to" value="${to}">
  <button type="submit" class="danger">Roll back to ${to}</button>
  <a href="/ui/versions/${encodeURIComponent(name)}">Cancel</a>
</form></div>`;
}
