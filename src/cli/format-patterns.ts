// Output of the analyze and patterns commands: a readable table by default, JSON with --json.
import type { z } from "zod";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "../domain/format-issues.js";
import type { AnalysisStratum, Pattern } from "../domain/pattern.js";
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

const share = (n: number, of: number) => (of === 0 ? "–" : `${Math.round((n / of) * 100)}%`);

/** The groups findings were compared within, per agent: what each is, its size and success rate. */
export function strataText(strata: readonly AnalysisStratum[]): string {
  if (strata.length === 0) return "No strata yet. Run `meta-agent analyze` once traces have been collected.";
  const rows = strata.map((s) => [s.agent, s.kind, s.key, String(s.size), share(s.successes, s.labelled), s.label.length > 80 ? `${s.label.slice(0, 77)}...` : s.label]);
  return table(["AGENT", "KIND", "KEY", "TRACES", "SUCCESS", "LABEL"], rows);
}

/** Prints the strata as a table or a JSON array. */
export function printStrata(strata: readonly AnalysisStratum[], json: boolean): void {
  console.log(json ? JSON.stringify(strata, null, 2) : strataText(strata));
}

/** Prints patterns as a table (with the summary and the strata compared within) or as a JSON array. */
export function printPatterns(patterns: Pattern[], summary: PatternSummary, json: boolean, strata: readonly AnalysisStratum[] = []): void {
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
      evidenceKind: p.evidenceKind,
      adjustedEffect: p.adjustedEffect,
      adjustedPValue: p.adjustedPValue,
      impliedBy: p.impliedBy,
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
  const rows = patterns.map((p) => [
    p.actionable ? "yes" : p.impliedBy ? "implied" : "observed",
    p.evidenceKind === "direct" ? "direct" : "assoc",
    p.confidence.toFixed(2),
    pct(p.effect),
    p.adjustedEffect === null ? "–" : `${pct(p.adjustedEffect)}${p.adjustedPValue !== null && p.adjustedPValue >= 0.05 ? " n.s." : ""}`,
    String(p.support),
    p.change,
    p.agent,
    p.type,
    p.description.length > 140 ? `${p.description.slice(0, 137)}...` : p.description,
  ]);
  console.log(table(["ACTIONABLE", "EVIDENCE", "CONF", "CRUDE", "ADJUSTED", "SUPPORT", "CHANGE", "AGENT", "TYPE", "DESCRIPTION"], rows));
  if (strata.length > 0) console.log(`\nCompared within (task keys, or intents found by clustering inputs):\n${strataText(strata)}`);
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
