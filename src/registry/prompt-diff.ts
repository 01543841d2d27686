// Unified diffs of compiled-version YAML (the `diff` package), optionally colored for terminals.
import { createTwoFilesPatch } from "diff";
import { styleText } from "node:util";

export interface DiffOptions {
  /** ANSI colors (additions green, removals red, hunks cyan). Default false. */
  color?: boolean;
  /** Lines of context around changes. Default 3. */
  context?: number;
}

/**
 * Unified diff from `fromText` (labelled `fromLabel`) to `toText`; empty string when equal. The
 * top-level `compiledAt:` line is left out: when a version was compiled is in its commit, and a
 * time that differs in every version is churn, not a change of the prompt.
 */
export function unifiedDiff(fromLabel: string, fromText: string, toLabel: string, toText: string, options: DiffOptions = {}): string {
  fromText = withoutCompileTime(fromText);
  toText = withoutCompileTime(toText);
  if (fromText === toText) return "";
  const patch = createTwoFilesPatch(fromLabel, toLabel, fromText, toText, undefined, undefined, { context: options.context ?? 3 });
  // Drop the "=====" banner line the library puts first.
  const text = patch.replace(/^={10,}\n/, "");
  return options.color ? colorize(text) : text;
}

const withoutCompileTime = (yaml: string) => yaml.replace(/^compiledAt: .*\n/m, "");

// The caller decides about colors (TTY, --color); older Node 20 releases ignore the option.
const paint = (format: Parameters<typeof styleText>[0], text: string) => styleText(format, text, { validateStream: false });

function colorize(patch: string): string {
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return paint("bold", line);
      if (line.startsWith("+")) return paint("green", line);
      if (line.startsWith("-")) return paint("red", line);
      if (line.startsWith("@@")) return paint("cyan", line);
      return line;
    })
    .join("\n");
}
