// Unified diffs of compiled-version YAML (the `diff` package), optionally colored for terminals.
import { createTwoFilesPatch } from "diff";
import { styleText } from "node:util";

export interface DiffOptions {
  /** ANSI colors (additions green, removals red, hunks cyan). Default false. */
  color?: boolean;
  /** Lines of context around changes. Default 3. */
  context?: number;
}

/** Unified diff from `fromText` (labelled `fromLabel`) to `toText`; empty string when equal. */
export function unifiedDiff(fromLabel: string, fromText: string, toLabel: string, toText: string, options: DiffOptions = {}): string {
  if (fromText === toText) return "";
  const patch = createTwoFilesPatch(fromLabel, toLabel, fromText, toText, undefined, undefined, { context: options.context ?? 3 });
  // Drop the "=====" banner line the library puts first.
  const text = patch.replace(/^={10,}\n/, "");
  return options.color ? colorize(text) : text;
}

function colorize(patch: string): string {
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return styleText("bold", line);
      if (line.startsWith("+")) return styleText("green", line);
      if (line.startsWith("-")) return styleText("red", line);
      if (line.startsWith("@@")) return styleText("cyan", line);
      return line;
    })
    .join("\n");
}
