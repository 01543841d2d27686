// The evaluation report as text: one row per version (quality with its interval, tokens, cost,
// latency, token ROI), then each paired comparison with its interval and verdict.
import type { EvalReport } from "./run-eval.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;

export function formatEvalReport(report: EvalReport): string {
  const level = `${Math.round(report.confidence * 100)}%`;
  const lines = [
    `${report.signature} on ${report.dataset.items} items (${report.dataset.source}), metric ${report.metric}, model ${report.model || "–"}, seed ${report.seed}`,
    `objective: ${report.objective.description}`,
    "",
    `version             quality  ${level} interval       tokens/item  cost/item   p95 ms  token ROI  errors`,
  ];
  for (const v of report.versions) {
    const name = `${v.label}${v.label === v.version ? "" : ` (${v.version})`}`;
    lines.push(
      [
        name.padEnd(18),
        pct(v.quality.mean).padStart(8),
        `[${pct(v.quality.ci[0])}, ${pct(v.quality.ci[1])}]`.padStart(18),
        v.tokensPerItem.total.toFixed(0).padStart(12),
        (v.costPerItem === null ? "–" : `$${v.costPerItem}`).padStart(10),
        String(v.latencyMs.p95).padStart(8),
        (v.tokenRoi === null ? "–" : v.tokenRoi.toFixed(3)).padStart(10),
        String(v.errors).padStart(7),
      ].join(" "),
    );
  }
  for (const c of report.comparisons) {
    lines.push(
      "",
      `${c.version} − ${c.reference}: quality ${signed(c.quality.meanDiff)} [${signed(c.quality.ci[0])}, ${signed(c.quality.ci[1])}], objective ${signed(c.objective.meanDiff)} [${signed(c.objective.ci[0])}, ${signed(c.objective.ci[1])}], tokens/item ${c.tokensPerItemDiff >= 0 ? "+" : ""}${c.tokensPerItemDiff.toFixed(0)} (paired over ${report.dataset.items} items)`,
      `  ${c.verdict}`,
    );
  }
  return lines.join("\n");
}
