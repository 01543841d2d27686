// Semantic versioning of compiled signatures: major when the signature's fields change, minor
// when the instructions change, patch when only guidelines, demos or model settings change.
import type { CompiledVersion } from "./compiled-version.js";

export type BumpKind = "major" | "minor" | "patch";

const fieldsKey = (v: Pick<CompiledVersion, "inputs" | "outputs">) => JSON.stringify([v.inputs, v.outputs]);

/** What kind of change `next` is relative to `previous`. */
export function bumpKind(previous: CompiledVersion, next: Pick<CompiledVersion, "inputs" | "outputs" | "instructions">): BumpKind {
  if (fieldsKey(previous) !== fieldsKey(next)) return "major";
  if (previous.instructions !== next.instructions) return "minor";
  return "patch";
}

/** Increments a semver string. */
export function bump(version: string, kind: BumpKind): string {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  if (kind === "major") return `${major + 1}.0.0`;
  if (kind === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The version number `next` gets after `previous` (or 1.0.0 for the first version). */
export function nextVersion(previous: CompiledVersion | undefined, next: Pick<CompiledVersion, "inputs" | "outputs" | "instructions">): string {
  return previous ? bump(previous.version, bumpKind(previous, next)) : "1.0.0";
}

/** Orders semver strings ascending. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
