// Renders a compile report for people: what changed (a unified diff of the YAML), the scores
// with their intervals, the gate's verdict and what was spent.
import { createTwoFilesPatch } from "diff";
import { serializeCompiledVersion } from "../domain/compiled-version.js";
import type { CompileReport } from "./compile-signature.js";
import type { CompileAndRecordResult } from "./compile-and-record.js";
import type { ScoreSummary } from "./statistics.js";
import { versionScope } from "../registry/version-scope.js";

const score = (s: ScoreSummary | null) => (s ? `${s.mean.toFixed(3)} [${s.ci[0].toFixed(3)}, ${s.ci[1].toFixed(3)}]` : "not evaluated");

/** The unified diff of the candidate's YAML against the parent's (volatile header fields included). */
export function candidateDiff(report: CompileReport): string {
  if (!report.candidate) return "";
  const file = versionScope(report.tenant).file(report.name);
  return createTwoFilesPatch(
    `${file}`,
    `${file}`,
    serializeCompiledVersion(report.parent),
    serializeCompiledVersion(report.candidate),
    `${report.parent.version}${report.parentStored ? "" : " (hand-written baseline)"}`,
    `${report.candidate.version} (candidate)`,
  );
}

/** The outcome as the CLI prints it. */
export function formatCompileReport(result: CompileAndRecordResult): string {
  const { report, recorded } = result;
  const lines: string[] = [];
  const c = report.candidate;
  const target = !c ? "no candidate" : report.unchanged ? "no change" : (result.version ?? c.version);
  lines.push(`Compiled ${report.name} with ${report.optimizer}${result.dryRun ? " (dry run)" : ""}: ${report.parent.version} → ${target}`);
  lines.push(`Examples: ${report.data.examples} traces (${report.data.skipped} skipped), train ${report.data.train}, dev ${report.data.dev}${report.data.devCorrected ? ` (${report.data.devCorrected} with a corrected answer)` : ""}`);
  for (const note of report.notes) lines.push(`  • ${note}`);
  if (c && !report.unchanged) {
    const diff = candidateDiff(report);
    lines.push("", diff.trimEnd());
  }
  const e = report.evaluation;
  lines.push("", `Scores on ${e.devSetSize} dev examples (${e.metric}, mean [confidence interval]):`);
  const tokens = (t: number | null) => (t === null ? "" : `  ${t} tokens/example`);
  lines.push(`  parent    ${report.parent.version.padEnd(8)} ${score(e.parent)}${tokens(e.tokens.parent)}`);
  if (!report.unchanged) lines.push(`  candidate ${(c?.version ?? "-").padEnd(8)} ${score(e.candidate)}${tokens(e.tokens.candidate)}`);
  if (e.comparison) lines.push(`  gain      ${e.comparison.meanDiff >= 0 ? "+" : ""}${e.comparison.meanDiff.toFixed(3)} [${e.comparison.ci[0].toFixed(3)}, ${e.comparison.ci[1].toFixed(3)}] on ${e.objective}, P(better) ${e.comparison.probabilityBetter.toFixed(3)}`);
  if (e.qualityComparison && e.objective !== "quality") lines.push(`  quality   ${e.qualityComparison.meanDiff >= 0 ? "+" : ""}${e.qualityComparison.meanDiff.toFixed(3)} [${e.qualityComparison.ci[0].toFixed(3)}, ${e.qualityComparison.ci[1].toFixed(3)}]`);
  if (result.canary) lines.push("", `Canary ${result.canary.id} started: ${result.canary.candidateVersion} serves ${Math.round(result.canary.settings.share * 100)}% of traffic until the sequential test decides (meta-agent canary list).`);
  lines.push("", `Verdict: ${report.verdict.promoted ? "PROMOTED" : "REJECTED"} — ${report.verdict.reason}`);
  const s = report.spend;
  lines.push(`Spent: ${s.llmCalls}${s.maxLlmCalls !== null ? `/${s.maxLlmCalls}` : ""} LLM calls, ${s.tokens}${s.maxTokens !== null ? `/${s.maxTokens}` : ""} tokens (${s.promptTokens} prompt, ${s.completionTokens} completion)`);
  const saved = [recorded?.baseline, recorded?.saved].filter((v) => v !== undefined);
  if (saved.length > 0) lines.push(`Saved: ${saved.map((v) => `${v.tag}${v.commit ? ` (${v.commit.slice(0, 12)})` : ""} on ${v.branch || "the versions directory"}`).join(", ")}`);
  else if (recorded?.status === "rejected") lines.push(`Recorded as rejected: ${recorded.name} ${recorded.version}`);
  else if (report.verdict.promoted && result.dryRun) lines.push("Nothing saved (dry run).");
  return lines.join("\n");
}
