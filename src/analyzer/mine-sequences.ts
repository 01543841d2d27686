// success_pattern / failure_pattern candidates from tool sequences: adjacent n-grams (2 and 3)
// and ordered pairs "A before B" (A's first call precedes a later call of B). Counting uses
// integer-coded keys so 100k traces × 10 calls stay well under a second.
import type { TraceFeatures } from "./trace-features.js";
import { ExposureCounter, candidateFrom, testable, totalsOf, type Candidate } from "./candidate.js";
import { hasNgram, hasOrder } from "./exposures.js";

const BIGRAM = 1;
const TRIGRAM = 2;
const BEFORE = 3;

/** Mines sequence candidates from traces with a known outcome; `strata` is the number of strata. */
export function mineSequences(traces: readonly TraceFeatures[], strata = 1): Candidate[] {
  const ids = new Map<string, number>();
  const names: string[] = [];
  for (const t of traces) {
    for (const n of t.tools) {
      if (ids.has(n)) continue;
      ids.set(n, names.length);
      names.push(n);
    }
  }
  const base = names.length + 1;
  const encode = (kind: number, a: number, b: number, c = names.length) => ((kind * base + a) * base + b) * base + c;
  const counter = new ExposureCounter(strata);
  const totals = totalsOf(traces.filter((t) => t.success !== null), (t) => t.success === true, strata);
  const first = new Int32Array(base);
  const last = new Int32Array(base);
  traces.forEach((t, index) => {
    if (t.success === null) return;
    const stratum = t.stratum;
    const seq = t.tools.map((n) => ids.get(n)!);
    const hit = t.success;
    for (let i = 0; i + 1 < seq.length; i++) {
      counter.add(encode(BIGRAM, seq[i]!, seq[i + 1]!), index, hit, t.traceId, t.success, stratum);
      if (i + 2 < seq.length) counter.add(encode(TRIGRAM, seq[i]!, seq[i + 1]!, seq[i + 2]!), index, hit, t.traceId, t.success, stratum);
    }
    const distinct: number[] = [];
    for (let i = 0; i < seq.length; i++) {
      const s = seq[i]!;
      if (!distinct.includes(s)) {
        distinct.push(s);
        first[s] = i;
      }
      last[s] = i;
    }
    for (const a of distinct) for (const b of distinct) if (a !== b && first[a]! < last[b]!) counter.add(encode(BEFORE, a, b), index, hit, t.traceId, t.success, stratum);
  });
  const out: Candidate[] = [];
  for (const [code, slot] of counter.slots) {
    let rest = code;
    const c = rest % base;
    rest = (rest - c) / base;
    const b = rest % base;
    rest = (rest - b) / base;
    const a = rest % base;
    const kind = (rest - a) / base;
    const tools = kind === TRIGRAM ? [names[a]!, names[b]!, names[c]!] : [names[a]!, names[b]!];
    const candidate = candidateFrom(slot, totals, {
      type: "success_pattern",
      kind: kind === BEFORE ? "before" : "ngram",
      key: `${kind === BEFORE ? "before" : "ngram"}:${tools.join(">")}`,
      tools,
      outcome: "success",
      exposure: kind === BEFORE ? hasOrder(tools[0]!, tools[1]!) : hasNgram(tools),
    });
    if (testable(candidate)) out.push(candidate);
  }
  return out;
}
