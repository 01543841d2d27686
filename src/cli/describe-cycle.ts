// Human-readable text for a learning cycle's result (CLI and demo).
import type { LearningCycleResult } from "../learning/run-learning-cycle.js";

export function describeCycleResult(result: LearningCycleResult): string {
  if (result.status === "skipped") return `Learning cycle skipped: ${result.reason}`;
  const c = result.cycle;
  const lines = [`Learning cycle ${c.id} ${c.status}: ${c.reason ?? ""}`];
  lines.push(`  traces read ${c.tracesRead}, patterns found ${c.patternsFound}, candidates tried ${c.candidatesTried}, LLM calls ${c.llmCalls}, tokens ${c.tokens}`);
  for (const v of c.verdicts) {
    const score = v.score != null ? ` (score ${v.parentScore?.toFixed(3) ?? "–"} → ${v.score.toFixed(3)})` : "";
    lines.push(`  ${v.signature}: ${v.verdict}${v.candidateVersion ? ` ${v.candidateVersion}` : ""}${score} — ${v.reason}`);
  }
  for (const v of c.versionsProduced) lines.push(`  committed ${v.signature} ${v.version} on ${v.branch} (${v.commit.slice(0, 10)}, ${v.mode} mode)`);
  for (const e of c.errors) lines.push(`  error${e.signature ? ` in ${e.signature}` : ""} (${e.phase}, ${e.code}): ${e.message}`);
  return lines.join("\n");
}
