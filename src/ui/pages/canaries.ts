// The canary state of the tenant's signatures, when the service has canary releases. The source
// is optional and its shape is read defensively: a list of objects (or `{ canaries: [...] }`),
// each shown with its scalar fields; anything else, or a failing source, shows nothing.
import { html, type Html } from "../html.js";
import type { UiDeps } from "../ui-deps.js";

type Canary = Record<string, unknown>;

const isRecord = (v: unknown): v is Canary => typeof v === "object" && v !== null && !Array.isArray(v);

/** The canary records in whatever the source answered. */
export function canaryRecords(value: unknown): Canary[] {
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value["canaries"]) ? value["canaries"] : [];
  return list.filter(isRecord);
}

const signatureOf = (c: Canary) => (typeof c["signature"] === "string" ? c["signature"] : typeof c["name"] === "string" ? c["name"] : undefined);
const scalar = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : v === null ? "–" : undefined);

export async function renderCanaries(deps: UiDeps, tenant: string, signature: string | undefined): Promise<Html> {
  if (!deps.canaries) return html``;
  let records: Canary[];
  try {
    records = canaryRecords(await deps.canaries(tenant));
  } catch (e) {
    deps.logger.warn({ name: "ui-canaries-unavailable", tenant, err: e }, "the canary state could not be read; the page shows none");
    return html``;
  }
  const shown = signature ? records.filter((c) => signatureOf(c) === signature) : records;
  if (shown.length === 0) return html``;
  const columns = [...new Set(shown.flatMap((c) => Object.keys(c).filter((k) => scalar(c[k]) !== undefined)))].slice(0, 10);
  return html`<section class="card" aria-labelledby="canary-title" data-testid="canaries"><h2 id="canary-title">Canary releases</h2>
<table class="list"><caption class="sr-only">Canary releases</caption><thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>${shown.map((c) => html`<tr>${columns.map((k) => html`<td>${scalar(c[k]) ?? ""}</td>`)}</tr>`)}</tbody></table></section>`;
}
