// The pull-request text of a review branch, written for a reviewer who has to approve it: one
// headline, a loud note when instructions were rewritten, every change with the reason for it
// (the finding behind a guideline, the trace behind a demo, the optimizer's note behind an
// instruction rewrite), the dev cases that flipped both ways, the prompt diff and how to roll back.
import type { CompiledTool, CompiledVersion, Demo, Guideline } from "../domain/compiled-version.js";
import type { DevFlip, DevFlips } from "../domain/dev-flip.js";
import type { AppliedPattern } from "./applied-patterns.js";

export interface PullRequestInput {
  version: CompiledVersion;
  /** The version it replaces (undefined: none). */
  parent?: CompiledVersion;
  /** Whose version it is (each tenant has its own versions). */
  tenant: string;
  /** First line: the headline's summary; further lines: the gate's verdict and the optimizer's notes. */
  summary: string;
  branch: string;
  servingBranch: string;
  /** Unified diff from the parent's YAML (plain, no colors). */
  diff: string;
  patterns: AppliedPattern[];
  /** Dev examples whose pass/fail changed between parent and candidate. */
  flips?: DevFlips | null;
}

const score = (s: { mean: number; ci: [number, number] } | null | undefined) =>
  s ? `${s.mean.toFixed(3)} (95% CI ${s.ci[0].toFixed(3)}–${s.ci[1].toFixed(3)})` : "n/a";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const quote = (s: string, max = 200) => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/** Title of the pull request. */
export function pullRequestTitle(v: CompiledVersion, summary: string, tenant = "default"): string {
  return `meta-agent: ${tenant === "default" ? "" : `${tenant}/`}${v.name} ${v.version} — ${summary.split("\n")[0]}`;
}

/** Markdown body of the pull request. */
export function pullRequestText(input: PullRequestInput): string {
  const { version: v, parent, diff } = input;
  const e = v.evaluation;
  const delta = e?.score && e.parentScore ? e.score.mean - e.parentScore.mean : undefined;
  // The title is the headline; the summary's first line is already in it.
  const details = input.summary.split("\n").slice(1).join("\n").trim();
  const lines = [`# ${pullRequestTitle(v, input.summary, input.tenant)}`, ""];
  if (details) lines.push(details, "");
  lines.push(...instructionWarning(v, parent));
  lines.push(
    "## Summary",
    "",
    "| | |",
    "|---|---|",
    ...(input.tenant === "default" ? [] : [`| Tenant | \`${input.tenant}\` |`]),
    `| Signature | \`${v.name}\` |`,
    `| Version | ${v.version} |`,
    `| Parent | ${v.parent ?? "none"} |`,
    `| Dev-set score before | ${score(e?.parentScore)} |`,
    `| Dev-set score after | ${score(e?.score)} |`,
    ...(delta !== undefined ? [`| Change | ${delta >= 0 ? "+" : ""}${delta.toFixed(3)} |`] : []),
    `| Dev-set size | ${e?.devSetSize ?? "n/a"} |`,
    `| Metric | ${e?.metric ?? "n/a"} |`,
    `| Optimizer | ${v.provenance.optimizer} |`,
    `| LLM calls | ${v.provenance.llmCalls} |`,
    `| Tokens | ${v.provenance.tokens} |`,
    "",
    "Intervals: Wilson score interval for pass/fail scores, bootstrap percentiles otherwise; both honest at small dev sets.",
    "",
    "## Changes and why",
    "",
    ...changes(v, parent, input.patterns, details),
    "",
    "## Dev cases that flipped",
    "",
    ...flipLines(input.flips),
    "",
    "## Prompt diff",
    "",
    "```diff",
    diff.trimEnd() || "(no changes)",
    "```",
    "",
    "## Patterns applied",
    "",
  );
  const patterns = input.patterns;
  if (patterns.length === 0) lines.push("None: no guideline of this version comes from a finding of the analyzer.");
  else {
    // Each guideline with the evidence it rests on: the adjusted (within task and run length)
    // effect of an association, or a tool's own error rate and why its calls fail.
    lines.push("| Pattern | Confidence | Guideline | Evidence | Example traces |", "|---|---|---|---|---|");
    for (const p of patterns) {
      lines.push(`| \`${p.key ?? p.id ?? "?"}\` | ${p.confidence?.toFixed(2) ?? "n/a"} | ${p.tool ? `(tool \`${p.tool}\`) ` : ""}${cell(p.guideline)} | ${cell(p.evidence ?? "—")} | ${p.exampleTraceIds.map((t) => `\`${t}\``).join(", ") || "—"} |`);
    }
  }
  lines.push(
    "",
    "## How to roll back",
    "",
    `Merging this branch into \`${input.servingBranch}\` makes ${v.name} ${v.version} the served version. To go back afterwards:`,
    "",
    "```sh",
    `meta-agent rollback ${v.name} --to ${v.parent ?? v.version}${input.tenant === "default" ? "" : ` --tenant ${input.tenant}`}`,
    "```",
    "",
    `or \`POST /v1/versions/${v.name}/rollback\` with \`{"to":"${v.parent ?? v.version}"}\`. A rollback is a new commit (a patch version marked \`rollbackOf\`); history is never rewritten.`,
    "",
  );
  return lines.join("\n");
}

/** The loud note when the candidate's instructions differ from its parent's. */
function instructionWarning(v: CompiledVersion, parent: CompiledVersion | undefined): string[] {
  if (!parent || parent.instructions.trim() === v.instructions.trim()) return [];
  const handWritten = parent.provenance.optimizer === "baseline" || (parent.provenance.rollbackOf !== undefined && parent.guidelines.length === 0 && parent.demos.length === 0);
  const what = handWritten ? `the hand-written instructions of ${parent.version}` : `the instructions of ${parent.version}`;
  return [
    `> [!WARNING]`,
    `> **Instructions rewritten.** This version replaces ${what} (${parent.instructions.trim().length} characters) with new text (${v.instructions.trim().length} characters). Read both in the diff below before approving.`,
    "",
  ];
}

/** One line per change between parent and candidate, with its reason. */
function changes(v: CompiledVersion, parent: CompiledVersion | undefined, patterns: AppliedPattern[], details: string): string[] {
  const out: string[] = [];
  const before = parent ?? { instructions: "", guidelines: [] as Guideline[], demos: [] as Demo[], tools: undefined };
  if (before.instructions.trim() !== v.instructions.trim()) {
    out.push(`- **Instructions rewritten** (see the warning above). Reason: ${details ? quote(details, 400) : `proposed by the ${v.provenance.optimizer} optimizer`}.`);
  }
  const known = new Set(before.guidelines.map((g) => g.text));
  const kept = new Set(v.guidelines.map((g) => g.text));
  const byText = new Map(patterns.filter((p) => !p.tool).map((p) => [p.guideline, p]));
  for (const g of v.guidelines.filter((x) => !known.has(x.text))) {
    const p = byText.get(g.text);
    const why = p
      ? `finding \`${p.key ?? p.id ?? "?"}\`${p.confidence !== undefined ? ` (confidence ${p.confidence.toFixed(2)})` : ""}${p.evidence ? `: ${p.evidence}` : ""}${p.exampleTraceIds.length ? `; e.g. traces ${p.exampleTraceIds.slice(0, 3).map((t) => `\`${t}\``).join(", ")}` : ""}`
      : g.patternKey || g.patternId
        ? `finding \`${g.patternKey ?? g.patternId}\`${g.evidence ? `: ${g.evidence}` : ""}`
        : `no finding behind it (proposed by the ${v.provenance.optimizer} optimizer)`;
    out.push(`- **Guideline added**: "${quote(g.text)}". Reason: ${why}.`);
  }
  for (const g of before.guidelines.filter((x) => !kept.has(x.text))) {
    out.push(`- **Guideline removed**: "${quote(g.text)}". Reason: the candidate scored at least as well without it${g.patternKey ? ` (it came from \`${g.patternKey}\`)` : ""}.`);
  }
  const demoKey = (d: Demo) => JSON.stringify([d.input, d.output]);
  const oldDemos = new Set(before.demos.map(demoKey));
  const newDemos = new Set(v.demos.map(demoKey));
  for (const d of v.demos.filter((x) => !oldDemos.has(demoKey(x)))) {
    out.push(`- **Demo added**: ${quote(JSON.stringify(d.input), 120)} → ${quote(JSON.stringify(d.output), 80)}. Reason: ${d.traceId ? (d.corrected ? `a corrected run (the output is the correction, not the run's answer), trace \`${d.traceId}\`` : `a successful run, trace \`${d.traceId}\``) : "a solved example"} similar to the dev cases it helps.`);
  }
  for (const d of before.demos.filter((x) => !newDemos.has(demoKey(x)))) {
    out.push(`- **Demo removed**: ${quote(JSON.stringify(d.input), 120)}${d.traceId ? ` (trace \`${d.traceId}\`)` : ""}. Reason: replaced by demos that scored better on the dev set.`);
  }
  const toolText = (t: { name: string; description: string }[] | undefined) => new Map((t ?? []).map((x) => [x.name, x.description]));
  const oldTools = toolText(before.tools);
  for (const [name, description] of toolText(v.tools)) {
    if (oldTools.has(name) && oldTools.get(name) !== description) out.push(`- **Tool description changed**: \`${name}\`: "${quote(description)}".`);
  }
  // What was learned about a tool, kept apart from its hand-written description, each with its finding.
  const learnedOf = (tools: CompiledTool[] | undefined, name: string) => (tools ?? []).find((t) => t.name === name)?.learned ?? [];
  const byTool = new Map(patterns.filter((p) => p.tool).map((p) => [`${p.tool}\n${p.guideline}`, p]));
  for (const tool of v.tools ?? []) {
    const had = new Set(learnedOf(before.tools, tool.name).map((g) => g.text));
    const has = new Set((tool.learned ?? []).map((g) => g.text));
    for (const g of (tool.learned ?? []).filter((x) => !had.has(x.text))) {
      const p = byTool.get(`${tool.name}\n${g.text}`);
      const key = p?.key ?? g.patternKey ?? p?.id ?? g.patternId;
      const evidence = p?.evidence ?? g.evidence;
      const examples = p?.exampleTraceIds ?? [];
      out.push(
        `- **Learned into the description of tool \`${tool.name}\`**: "${quote(g.text)}". Reason: ${key ? `finding \`${key}\`` : "a finding"}${g.confidence !== undefined ? ` (confidence ${g.confidence.toFixed(2)})` : ""}${evidence ? `: ${evidence}` : ""}${examples.length ? `; e.g. traces ${examples.slice(0, 3).map((t) => `\`${t}\``).join(", ")}` : ""}.`,
      );
    }
    for (const g of learnedOf(before.tools, tool.name).filter((x) => !has.has(x.text))) {
      out.push(`- **Learned text removed from tool \`${tool.name}\`**: "${quote(g.text)}". Reason: its finding${g.patternKey ? ` \`${g.patternKey}\`` : ""} no longer holds.`);
    }
  }
  return out.length > 0 ? out : ["No change to instructions, guidelines, demos or tools."];
}

function flipLines(flips: DevFlips | null | undefined): string[] {
  if (!flips) return ["Not evaluated: no per-example scores were recorded."];
  const table = (title: string, rows: DevFlip[]) =>
    rows.length === 0
      ? [`**${title}**: none.`]
      : [`**${title}** (${rows.length}):`, "", "| Trace | Input | Before | After |", "|---|---|---|---|", ...rows.slice(0, 20).map((f) => `| \`${f.traceId}\` | ${cell(f.input)} | ${f.before.toFixed(2)} | ${f.after.toFixed(2)} |`), ...(rows.length > 20 ? [`(and ${rows.length - 20} more)`] : [])];
  return [...table("Fixed (failed before, pass now)", flips.fixed), "", ...table("Broken (passed before, fail now)", flips.broken)];
}
