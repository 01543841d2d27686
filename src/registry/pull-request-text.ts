// The pull-request text of a review branch: summary table, prompt diff, patterns applied with
// their evidence, and how to roll back.
import type { CompiledVersion } from "../domain/compiled-version.js";
import type { AppliedPattern } from "./applied-patterns.js";

export interface PullRequestInput {
  version: CompiledVersion;
  /** Whose version it is (each tenant has its own versions). */
  tenant: string;
  summary: string;
  branch: string;
  servingBranch: string;
  /** Unified diff from the parent's YAML (plain, no colors). */
  diff: string;
  patterns: AppliedPattern[];
}

const score = (s: { mean: number; ci: [number, number] } | null | undefined) =>
  s ? `${s.mean.toFixed(3)} (95% CI ${s.ci[0].toFixed(3)}–${s.ci[1].toFixed(3)})` : "n/a";

/** Title of the pull request. */
export function pullRequestTitle(v: CompiledVersion, summary: string, tenant = "default"): string {
  return `meta-agent: ${tenant === "default" ? "" : `${tenant}/`}${v.name} ${v.version} — ${summary.split("\n")[0]}`;
}

/** Markdown body of the pull request. */
export function pullRequestText(input: PullRequestInput): string {
  const { version: v, diff, patterns } = input;
  const e = v.evaluation;
  const delta = e?.score && e.parentScore ? e.score.mean - e.parentScore.mean : undefined;
  const lines = [
    `# ${pullRequestTitle(v, input.summary, input.tenant)}`,
    "",
    input.summary.trim(),
    "",
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
    "## Prompt diff",
    "",
    "```diff",
    diff.trimEnd() || "(no changes)",
    "```",
    "",
    "## Patterns applied",
    "",
  ];
  if (patterns.length === 0) lines.push("None.");
  else {
    // Each guideline with the evidence it rests on: the adjusted (within task and run length)
    // effect of an association, or a tool's own error rate and why its calls fail.
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    lines.push("| Pattern | Confidence | Guideline | Evidence | Example traces |", "|---|---|---|---|---|");
    for (const p of patterns) {
      lines.push(`| \`${p.key ?? p.id ?? "?"}\` | ${p.confidence?.toFixed(2) ?? "n/a"} | ${cell(p.guideline)} | ${cell(p.evidence ?? "—")} | ${p.exampleTraceIds.map((t) => `\`${t}\``).join(", ") || "—"} |`);
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
