// Deterministic hashing for the simulator: the same input always gets the same decision.
import { createHash } from "node:crypto";

/** A number in [0, 1) derived from the text (stable across runs, machines and Node versions). */
export function unitHash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** Short hex digest for deterministic ids and generic answers. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Normalises a task text so whitespace and case do not change decisions. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
