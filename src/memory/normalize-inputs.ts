// Canonical text of a signature's inputs, so that the same request hashes the same whatever
// the key order or incidental whitespace, and the embedding sees one stable rendering.
import { createHash } from "node:crypto";

export interface NormalizedInputs {
  /** `field: value` lines in key order, whitespace collapsed (what gets embedded). */
  text: string;
  /** SHA-256 of `text`: the exact-match key. */
  hash: string;
}

function normalizeString(s: string): string {
  return s.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** Stable JSON with sorted keys and normalized strings (nested values). */
function canonical(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(normalizeString(value));
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Normalizes a signature's inputs: top-level fields sorted by name, strings NFKC-normalized with
 * whitespace collapsed. Case is kept: for code or identifiers it changes the meaning.
 */
export function normalizeInputs(inputs: Record<string, unknown> | string): NormalizedInputs {
  const text =
    typeof inputs === "string"
      ? normalizeString(inputs)
      : Object.keys(inputs)
          .filter((k) => inputs[k] !== undefined)
          .sort()
          .map((k) => {
            const v = inputs[k];
            return `${k}: ${typeof v === "string" ? normalizeString(v) : canonical(v)}`;
          })
          .join("\n");
  return { text, hash: createHash("sha256").update(text).digest("hex") };
}

/**
 * The field values of a normalized text, one per line, without their `name: ` prefixes: what a
 * request says, for comparing two inputs of the same signature word by word (their field names
 * are the same by construction and would count as shared words).
 */
export function fieldValues(text: string): string {
  return text.replace(/^[A-Za-z_$][\w$-]*: /gm, "");
}
