// Per-trace membership tests of the tool and sequence features the miners count in bulk. Only
// the few findings whose redundancy is checked (redundancy.ts) are re-evaluated trace by trace.
import type { Exposure } from "./candidate.js";

/** The trace calls `tool`. */
export const usesTool = (tool: string): Exposure => (t) => t.tools.includes(tool);

/** A call of `tool` fails in the trace. */
export const toolFails = (tool: string): Exposure => (t) => t.tools.some((n, i) => n === tool && !t.toolOk[i]);

/** The trace's last call is `tool`. */
export const endsWith = (tool: string): Exposure => (t) => t.tools.length > 0 && t.tools[t.tools.length - 1] === tool;

/** The trace contains the adjacent calls `tools` (2 or 3). */
export const hasNgram =
  (tools: readonly string[]): Exposure =>
  (t) => {
    for (let i = 0; i + tools.length <= t.tools.length; i++) if (tools.every((x, j) => t.tools[i + j] === x)) return true;
    return false;
  };

/** `a`'s first call precedes a later call of `b`. */
export const hasOrder =
  (a: string, b: string): Exposure =>
  (t) => {
    const first = t.tools.indexOf(a);
    return first >= 0 && t.tools.lastIndexOf(b) > first;
  };
