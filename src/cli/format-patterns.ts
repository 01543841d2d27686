// Output of the analyze and patterns commands: a readable table by default, JSON with --json.
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "../domain/format-issues.js";
import type { Pattern } from "../domain/pattern.js";
import type { AnalysisResult } from "../analyzer/analyze-agent.js";
import type { PatternSummary } from "../analyzer/summarize-patterns.js";

/** Validates --window-days; undefined falls back to the configured window. */
export function parseWindowDays(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(`--window-days: expected a non-negative integer, got "${raw}"`);
  return n;
}

/** Validates the patterns command's flags with the API's filter schema (same messages). */
export function parseFilters<S extends z.ZodType>(schema: S, flags: { agent?: string; type?: string; minConfidence?: string; actionable?: boolean; observed?: boolean }): z.output<S> {
  if (flags.actionable && flags.observed) throw new ValidationError("--actionable and --observed exclude each other");
  const parsed = schema.safeParse({
    agent: flags.agent,
    type: flags.type,
    minConfidence: flags.minConfidence,
    actionable: flags.actionable ? "true" : flags.observed ? "false" : undefined,
  });
  if (!parsed.success) throw new ValidationError(formatZodIssues(parsed.error.issues).replace(/^(\w+)/, (m) => `--${m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
  return parsed.data;
}

const pct = (x: number) => `${x >= 0 ? "+" : ""}${Math.round(x * 100)}%`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function summaryText(s: PatternSummary): string {
  const byType = Object.entries(s.byType)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(", ");
  return `Total patterns: ${s.totalPatterns}  High-confidence patterns: ${s.highConfidencePatterns}  Actionable: ${s.actionablePatterns}${byType ? `\nBy type: ${byType}` : ""}`;
}

/** Prints patterns as a table (with the summary) or as a JSON array. */
export function printPatterns(patterns: Pattern[], summary: PatternSummary, json: boolean): void {
  if (json) {
    const out = patterns.map((p) => ({
      agent: p.agent,
      type: p.type,
      key: p.key,
      description: p.description,
      recommendations: p.recommendations,
      support: p.support,
      frequency: p.frequency,
      effect: p.effect,
      baseline: p.baseline,
      confidence: p.confidence,
      pValue: p.pValue,
      actionable: p.actionable,
      change: p.change,
      evidence: p.evidence,
      runId: p.runId,
    }));
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  if (patterns.length === 0) {
    console.log("No patterns yet. Run `meta-agent analyze` once traces have been collected.");
    return;
  }
  console.log(summaryText(summary));
  console.log("");
  const rows = patterns.map((p) => [p.actionable ? "yes" : "observed", p.confidence.toFixed(2), pct(p.effect), String(p.support), p.change, p.agent, p.type, p.description.length > 110 ? `${p.description.slice(0, 107)}...` : p.description]);
  console.log(table(["ACTIONABLE", "CONF", "EFFECT", "SUPPORT", "CHANGE", "AGENT", "TYPE", "DESCRIPTION"], rows));
  const recommendations = patterns.filter((p) => p.actionable).flatMap((p) => p.recommendations);
  if (recommendations.length > 0) console.log(`\nRecommendations:\n${[...new Set(recommendations)].map((r) => `  - ${r}`).join("\n")}`);
}

/** Prints the outcome of analysis runs. */
export function printAnalysis(results: AnalysisResult[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify(results.map(({ patterns: _p, ...r }) => r), null, 2));
    return;
  }
  if (results.length === 0) {
    console.log("No traces to analyze.");
    return;
  }
  for (const r of results) {
    const changes = r.patterns.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.change]: (acc[p.change] ?? 0) + 1 }), {});
    console.log(`${r.agent}: ${r.mode} run ${r.runId} read ${r.tracesRead} new or updated traces; ${r.totalTraces} in the window (${r.labelledTraces} with an outcome), ${r.candidates} candidates tested in ${r.durationMs} ms`);
    console.log(`  ${summaryText(r.summary).replace("\n", "\n  ")}`);
    console.log(`  Changes: ${Object.entries(changes).map(([c, n]) => `${c} ${n}`).join(", ") || "none"}`);
  }
}
