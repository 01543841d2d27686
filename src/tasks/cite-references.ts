// Citations of research sub-tasks: the library passages given to a worker, numbered as the prompt
// shows them, and which of them the worker's answer actually cites as [n].
import { citationOf } from "../librarian/research.js";
import type { LibraryPassage } from "../librarian/search-library.js";
import type { Citation } from "./task-result.js";

/** Passages (ranked 1..n by `research()`) as citations. */
export function citationsOf(passages: readonly LibraryPassage[]): Citation[] {
  return passages.map((p) => ({ n: p.rank, source: citationOf(p), path: p.path, page: p.page, chunk: p.chunk }));
}

/** The citations whose number appears in `answer` as [n] (also `[1, 3]` and `[2][4]`), in number order. */
export function citedIn(answer: string, citations: readonly Citation[]): Citation[] {
  const used = new Set<number>();
  for (const m of answer.matchAll(/\[(\d+(?:\s*[,;]\s*\d+)*)\]/g)) for (const n of m[1]!.split(/[,;]/)) used.add(Number(n.trim()));
  return citations.filter((c) => used.has(c.n));
}

/** `answer` followed by the sources it cites, so a later reader (the synthesizer) sees what [n] means. */
export function withSources(answer: string, cited: readonly Citation[]): string {
  return cited.length === 0 ? answer : `${answer}\nSources: ${cited.map((c) => `[${c.n}] ${c.source}`).join("; ")}`;
}
