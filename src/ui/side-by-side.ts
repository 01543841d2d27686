// A line diff laid out in two columns: removed lines on the left facing the lines that replaced
// them on the right, unchanged lines on both sides, with line numbers.
import { diffLines } from "diff";

export interface DiffRow {
  left: { no: number; text: string; kind: "same" | "removed" } | null;
  right: { no: number; text: string; kind: "same" | "added" } | null;
}

const linesOf = (value: string) => {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
};

/** Rows of a side-by-side diff from `from` to `to`. */
export function sideBySide(from: string, to: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let l = 0;
  let r = 0;
  let removed: string[] = [];
  const flush = (added: string[]) => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const a = removed[i];
      const b = added[i];
      rows.push({ left: a === undefined ? null : { no: ++l, text: a, kind: "removed" }, right: b === undefined ? null : { no: ++r, text: b, kind: "added" } });
    }
    removed = [];
  };
  for (const part of diffLines(from, to)) {
    const lines = linesOf(part.value);
    if (part.removed) removed.push(...lines);
    else if (part.added) flush(lines);
    else {
      flush([]);
      for (const text of lines) rows.push({ left: { no: ++l, text, kind: "same" }, right: { no: ++r, text, kind: "same" } });
    }
  }
  flush([]);
  return rows;
}
