// Reads docker-compose.yml the way `docker compose` does, for tests on a machine without the
// compose plugin: YAML, then the Compose specification's variable interpolation. The interpolation
// is written here because no maintained npm package implements it; it follows the specification's
// grammar: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
// ${VAR:+alt}, ${VAR+alt}.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export class InterpolationError extends Error {}

const PATTERN = /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\})/g;

/** Interpolates one string with `env`; throws InterpolationError for a required variable that is unset. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(PATTERN, (_m, dollar: string | undefined, bare: string | undefined, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (dollar) return "$";
    const key = (bare ?? name)!;
    const v = env[key];
    const set = v !== undefined;
    const nonEmpty = set && v !== "";
    switch (op) {
      case undefined:
        return v ?? "";
      case ":-":
        return nonEmpty ? v! : interpolate(arg ?? "", env);
      case "-":
        return set ? v! : interpolate(arg ?? "", env);
      case ":?":
        if (!nonEmpty) throw new InterpolationError(`required variable ${key} is missing a value: ${arg ?? ""}`);
        return v!;
      case "?":
        if (!set) throw new InterpolationError(`required variable ${key} is missing a value: ${arg ?? ""}`);
        return v!;
      case ":+":
        return nonEmpty ? interpolate(arg ?? "", env) : "";
      case "+":
        return set ? interpolate(arg ?? "", env) : "";
      default:
        throw new InterpolationError(`unsupported operator ${op}`);
    }
  });
}

function walk(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === "string") return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => walk(n, env));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, env)]));
  return node;
}

/** The compose file as `docker compose config` would see it with `env`. */
export function loadComposeFile(file: string, env: Record<string, string | undefined>): Record<string, any> {
  return walk(parse(readFileSync(file, "utf8")), env) as Record<string, any>;
}
