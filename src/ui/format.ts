// Small formatters the pages share: numbers a reader compares at a glance, with units.
import { html, type Html } from "./html.js";

export const pct = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(100 * x).toFixed(digits)}%`);
export const signedPct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "–" : `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)} pts`);
export const usd = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : x < 0.01 && x > 0 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);
export const ms = (x: number | null | undefined): string => (x === null || x === undefined ? "–" : x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
export const num = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? "–" : Number(x.toFixed(digits)).toString());
export const when = (iso: string | null | undefined): string => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/Z$/, " UTC") : "–");
export const pValue = (p: number | null | undefined): string => (p === null || p === undefined ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3));

/** A coloured label whose text says the same as its colour. */
export const badge = (text: string, kind: string): Html => html`<span class="badge badge-${kind.replace(/[^a-z0-9_-]/gi, "")}">${text}</span>`;

export const outcomeBadge = (success: boolean | null | undefined): Html => (success === true ? badge("success", "ok") : success === false ? badge("failure", "bad") : badge("no outcome", "none"));

/** A one-line preview of any value. */
export function preview(value: unknown, max = 140): string {
  const s = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Pretty JSON (or the text itself) for a <pre>. */
export const pretty = (value: unknown): string => (typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? ""));
