// No redundant advice: a finding implied by a stronger one is attached to it as supporting
// detail instead of being listed as another actionable item. "Implied" is tested, not guessed:
// the weaker finding is re-tested within its strata *and* within the stronger finding's
// exposure (runs where the failing tool failed, runs with the stronger sequence, ...). When the
// association no longer holds there (CMH p ≥ 0.05) or loses more than half its size, the
// stronger finding explains it: pairs and sequences that only contain a failing tool, tool-use
// associations that are that tool's errors, orders that restate another order.
// Direct evidence (a tool's own errors) comes first and is never attached to an association.
import type { Working } from "./score-candidates.js";
import type { TraceFeatures } from "./trace-features.js";
import type { TraceStrata } from "./strata.js";
import { mantelHaenszel, type StratumTable } from "./statistics/mantel-haenszel.js";
import { NOMINAL_ALPHA } from "./adjust-candidate.js";

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Within-strata test of `exposed` against success, with each stratum split by `given`. */
export function conditionalEffect(labelled: readonly TraceFeatures[], exposed: Uint8Array, given: Uint8Array, strata: TraceStrata): { effect: number | null; pValue: number } {
  const tables: StratumTable[] = Array.from({ length: strata.count * 2 }, () => ({ a: 0, n1: 0, c: 0, n0: 0 }));
  labelled.forEach((t, i) => {
    if (t.stratum < 0) return;
    const table = tables[t.stratum * 2 + given[i]!]!;
    if (exposed[i]) {
      table.n1++;
      if (t.success) table.a++;
    } else {
      table.n0++;
      if (t.success) table.c++;
    }
  });
  const result = mantelHaenszel(tables);
  return { effect: result.riskDifference, pValue: result.pValue };
}

/** Between equally strong findings, advice to do something goes before advice about what goes wrong. */
const positiveFirst = (x: Working, y: Working) => Number((y.adjustedEffect ?? y.effect) > 0) - Number((x.adjustedEffect ?? x.effect) > 0);

/** Marks actionable findings that a stronger actionable finding explains (mutates `findings`). */
export function attachImplied(findings: Working[], labelled: readonly TraceFeatures[], strata: TraceStrata): void {
  const order = findings
    .filter((f) => f.actionable && f.candidate.exposure !== undefined && f.candidate.outcome === "success")
    .sort((x, y) => Number(y.evidenceKind === "direct") - Number(x.evidenceKind === "direct") || x.q - y.q || Math.abs(y.adjustedEffect ?? 0) - Math.abs(x.adjustedEffect ?? 0) || positiveFirst(x, y) || x.candidate.tools.length - y.candidate.tools.length || (x.key < y.key ? -1 : 1));
  const homes: { finding: Working; exposed: Uint8Array }[] = [];
  for (const f of order) {
    const exposure = f.candidate.exposure!;
    const exposed = Uint8Array.from(labelled, (t) => (exposure(t) ? 1 : 0));
    if (f.evidenceKind !== "direct") {
      for (const home of homes) {
        const within = conditionalEffect(labelled, exposed, home.exposed, strata);
        const own = Math.abs(f.adjustedEffect ?? 0);
        const explained = within.effect === null || within.pValue >= NOMINAL_ALPHA || Math.abs(within.effect) < own / 2;
        if (!explained) continue;
        f.actionable = false;
        f.impliedBy = home.finding.key;
        f.stats["impliedBy"] = { key: home.finding.key, effectWithinIt: within.effect === null ? null : round(within.effect), pValueWithinIt: within.pValue };
        const supporting = (home.finding.stats["supporting"] as unknown[] | undefined) ?? [];
        supporting.push({ key: f.key, description: f.description, adjustedEffect: f.adjustedEffect, effectWithinIt: within.effect === null ? null : round(within.effect) });
        home.finding.stats["supporting"] = supporting;
        break;
      }
    }
    if (f.actionable) homes.push({ finding: f, exposed });
  }
}
