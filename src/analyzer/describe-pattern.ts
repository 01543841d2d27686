// The human sentence and the imperative recommendations of a scored candidate. Recommendations
// are written to be pasted into a prompt as guidelines ("Call A before B"), worded by the kind
// of evidence: direct evidence (a tool's own failed calls) quotes why the tool fails; an
// association (runs with a feature succeed more or less within the same task and run length)
// never turns into advice to skip or limit a step — for a tool it advises how to use it.
import type { Candidate } from "./candidate.js";
import type { AdjustedEffect } from "./adjust-candidate.js";
import { NOMINAL_ALPHA } from "./adjust-candidate.js";
import { formatFailureReasons, type FailureReason } from "./failure-reasons.js";
import type { ToolErrorComparison } from "./mine-tools.js";

const pct = (x: number) => `${Math.round(x * 100)}%`;
const arrow = (tools: string[]) => tools.join(" → ");
/** Signed percentage points: "+12 pts", "−3 pts". */
export const pts = (x: number) => `${x < 0 ? "−" : "+"}${Math.abs(Math.round(x * 100))} pts`;

export interface Described {
  description: string;
  recommendations: string[];
}

export interface DescribeContext {
  /** Sign used for the wording: the adjusted effect's when there is one (Simpson's paradox), else the crude one's. */
  direction: number;
  crudeEffect: number;
  crudePValue: number;
  adjusted: AdjustedEffect;
}

/** "crude −20 pts, within task −2 pts [−8, +4] (n.s.): explained by task" — both effects, as a user reads them. */
export function effectPhrase(crudeEffect: number, crudePValue: number, adjusted: AdjustedEffect): string {
  const crude = `crude ${pts(crudeEffect)}${crudePValue < NOMINAL_ALPHA ? "" : " (n.s.)"}`;
  if (!adjusted.adjustedFor) return `${crude}; one stratum, nothing else to hold fixed`;
  if (adjusted.effect === null) return `${crude}; no runs of the same ${adjusted.adjustedFor} without it to compare with`;
  const ci = adjusted.ci95 ? ` [${pts(adjusted.ci95[0]).replace(" pts", "")}, ${pts(adjusted.ci95[1])}]` : "";
  const ns = adjusted.pValue < NOMINAL_ALPHA ? "" : " (n.s.)";
  const explained = adjusted.explainedBy ? `: explained by ${adjusted.explainedBy}` : "";
  const contradicted = adjusted.contradictingStrata.length > 0 ? `; reversed in ${adjusted.contradictingStrata.join(", ")}` : "";
  return `${crude}, within ${adjusted.adjustedFor} ${pts(adjusted.effect)}${ci}${ns}${explained}${contradicted}`;
}

const pValue = (p: number) => (p < 1e-4 ? p.toExponential(0) : p.toFixed(4).replace(/0+$/, ""));

/** What a tool's errors were compared with: "other tools 2% (1/50)" or "for intent "x" 20/20 vs 0/8 of its calls for its other intents". */
export function comparisonPhrase(c: ToolErrorComparison | undefined): string {
  if (!c) return "";
  if (c.against === "other_tools") return c.calls === 0 ? "no other tool called to compare with" : `other tools ${pct(c.errors / c.calls)} (${c.errors}/${c.calls})`;
  const others = c.groups === 2 ? `its other ${c.group.kind}` : `its other ${c.groups - 1} ${c.group.kind}s`;
  return `for ${c.group.kind} "${c.group.label}" ${c.group.errors}/${c.group.calls} vs ${c.errors}/${c.calls} for ${others}`;
}

/**
 * One line of the evidence a guideline rests on, for compile reports and pull requests:
 * "direct: fails in 60% of its calls (30/50, 95% CI 46–73%); 'payment method <v> not found' 18/30"
 * or "association within task and run length: −12 pts [−18, −6], CMH p 2e-5, 4 strata; crude −20 pts".
 */
export function evidenceSummary(c: Candidate, context: DescribeContext): string {
  const { adjusted } = context;
  if (c.directPValue !== undefined) {
    const s = c.stats as { errorRate: number; errorRateCi: [number, number]; errors: number; calls: number; failureReasons: FailureReason[] };
    const reasons = formatFailureReasons(s.failureReasons, s.errors);
    const comparison = c.stats["comparison"] as ToolErrorComparison | undefined;
    // Compared across its groups: say which, and that the p-value is corrected for picking it.
    const across = comparison?.against === "other_groups" ? `, ${comparisonPhrase(comparison)}` : "";
    const corrected = comparison?.against === "other_groups" ? ` Bonferroni over ${comparison.groups} ${comparison.group.kind}s` : "";
    return `direct: ${c.tools[0]} fails in ${pct(s.errorRate)} of its calls (${s.errors}/${s.calls}, 95% CI ${pct(s.errorRateCi[0])}–${pct(s.errorRateCi[1])}${across}, p ${pValue(c.directPValue)}${corrected})${reasons ? `; ${reasons}` : ""}`;
  }
  if (adjusted.effect === null) return `association: crude ${pts(context.crudeEffect)}; no within-strata comparison`;
  const ci = adjusted.ci95 ? ` [${pts(adjusted.ci95[0]).replace(" pts", "")}, ${pts(adjusted.ci95[1])}]` : "";
  const within = adjusted.adjustedFor ? `within ${adjusted.adjustedFor}` : "one stratum";
  return `association ${within}: ${pts(adjusted.effect)}${ci}, CMH p ${pValue(adjusted.pValue)}, ${adjusted.supportedStrata} of ${adjusted.populatedStrata} strata; crude ${pts(context.crudeEffect)}`;
}

/** What "the same" means in a recommendation: "task", "intent", or "runs" without strata. */
function sameWhat(adjusted: AdjustedEffect): string {
  return adjusted.adjustedFor ? adjusted.adjustedFor.replace(/ and run length$/, "") || "run length" : "runs";
}

/** Describes a candidate once its direction is known. */
export function describePattern(c: Candidate, context: DescribeContext): Described {
  const { adjusted } = context;
  const withRate = c.withN === 0 ? 0 : c.withHits / c.withN;
  const withoutRate = c.withoutN === 0 ? 0 : c.withoutHits / c.withoutN;
  const rates = `${pct(withRate)} of ${c.withN} runs vs ${pct(withoutRate)} of ${c.withoutN} otherwise`;
  const effects = effectPhrase(context.crudeEffect, context.crudePValue, adjusted);
  const shown = adjusted.effect ?? context.crudeEffect;
  const [a = "", b = "", d = ""] = c.tools;
  const better = context.direction > 0;
  const same = sameWhat(adjusted);
  switch (c.kind) {
    case "before":
      return better
        ? { description: `Successful tool order: ${a} before ${b} (success ${rates}; ${effects})`, recommendations: [`Call ${a} before ${b}.`] }
        : { description: `Failing tool order: ${a} before ${b} (success ${rates}; ${effects})`, recommendations: [`When a run needs both ${a} and ${b}, call ${b} first.`] };
    case "ngram":
      if (better) {
        return {
          description: `Successful tool sequence: ${arrow(c.tools)} (success ${rates}; ${effects})`,
          recommendations: [c.tools.length === 2 ? `Call ${b} right after ${a}.` : `Follow the sequence ${arrow(c.tools)}: call ${a}, then ${b}, then ${d}.`],
        };
      }
      return {
        description: `Failing tool sequence: ${arrow(c.tools)} (success ${rates}; ${effects})`,
        recommendations: [c.tools.length === 2 ? `After ${a}, check its result before calling ${b}.` : `In the sequence ${arrow(c.tools)}, check each result before the next call.`],
      };
    case "tool": {
      const s = c.stats as { errorRate: number; latencyP50Ms: number | null; latencyP95Ms: number | null; shareOfRuns: number };
      const latency = s.latencyP50Ms === null ? "" : `, latency p50 ${s.latencyP50Ms} ms / p95 ${s.latencyP95Ms} ms`;
      // Only an effect that holds within strata earns the word "effective" or "ineffective".
      const verdict = adjusted.effect !== null && adjusted.pValue < NOMINAL_ALPHA ? (better ? "Effective tool" : "Ineffective tool") : "Tool";
      const description = `${verdict}: ${a} (runs using it succeed ${rates}; ${effects}; ${pct(s.errorRate)} of its calls fail${latency}; used in ${pct(s.shareOfRuns)} of runs)`;
      if (better) return { description, recommendations: [`Prefer ${a} when it applies: within the same ${same}, runs that use it succeed ${pts(shown).replace("+", "")} more.`] };
      // An association never says "avoid" or "limit" a tool: the runs that need it may simply be the harder ones.
      const needed = (adjusted.shareOfSuccessfulRuns ?? 0) > 0.5;
      const why = needed
        ? `most successful runs of the same ${same} use it (${pct(adjusted.shareOfSuccessfulRuns!)}), so keep using it where the ${same} needs it; runs using it still succeed ${pts(shown).replace("−", "")} less`
        : `within the same ${same}, runs using it succeed ${pts(shown).replace("−", "")} less (an association, not proof that ${a} is the cause)`;
      return { description, recommendations: [`When you call ${a}, check its arguments first and read its result before the next step: ${why}.`] };
    }
    case "tool_error": {
      const s = c.stats as { errorRate: number; errorRateCi: [number, number]; calls: number; errors: number; comparison?: ToolErrorComparison; failureReasons: FailureReason[] };
      const reasons = s.failureReasons.filter((r) => r.reason !== "other" && r.reason !== "(no error text)");
      const reasonText = reasons.length > 0 ? `; it fails with ${formatFailureReasons(reasons, s.errors)}` : "";
      const top = reasons[0];
      const recommendations = [
        top && top.share >= 0.2
          ? `Before calling ${a}, rule out its most common failure, "${top.reason}" (${top.count} of its ${s.errors} failed calls).`
          : `Validate the arguments of ${a} before calling it, and handle its errors: ${pct(s.errorRate)} of its calls fail.`,
        `When ${a} fails, read its error and fix the cause before retrying or moving on.`,
      ];
      return {
        description: `Common failure point: ${a} fails in ${pct(s.errorRate)} of its calls (${s.errors}/${s.calls}, 95% CI ${pct(s.errorRateCi[0])}–${pct(s.errorRateCi[1])}; ${comparisonPhrase(s.comparison)})${reasonText}; runs where it fails succeed ${rates} (${effects})`,
        recommendations,
      };
    }
    case "last_tool":
      return {
        description: `Failing runs often stop right after ${a} (runs ending with ${a} succeed ${rates}; ${effects})`,
        recommendations: [`Do not finish right after ${a}: check its result with a further step first.`],
      };
    case "thinking_present":
      return better
        ? { description: `Reasoning before acting helps (runs with thinking steps succeed ${rates}; ${effects})`, recommendations: ["Reason step by step before choosing each tool."] }
        : { description: `Runs with thinking steps do worse (success ${rates}; ${effects})`, recommendations: ["Keep each reasoning step focused on the next action and the evidence you have."] };
    case "thinking_long": {
      const median = (c.stats as { medianCharsPerStep: number }).medianCharsPerStep;
      return better
        ? { description: `Longer reasoning (≥ ${median} characters per step) succeeds more (${rates}; ${effects})`, recommendations: ["Reason thoroughly: spell out what you know and what you still need before acting."] }
        : { description: `Long reasoning (≥ ${median} characters per step) succeeds less (${rates}; ${effects})`, recommendations: ["Keep each reasoning step brief and focused on the next action."] };
    }
    case "thinking_justified":
      return better
        ? { description: `Justified tool choices succeed more (${rates}; ${effects})`, recommendations: ["Justify each tool choice before calling the tool."] }
        : { description: `Runs that justify tool choices succeed less (${rates}; ${effects})`, recommendations: ["Keep tool-choice justifications short; act and check results."] };
    case "outliers": {
      const s = c.stats as { metric: string; unit: string; fence: number };
      return better
        ? { description: `${s.metric} outliers (over ${s.fence} ${s.unit}) succeed more (${rates}; ${effects})`, recommendations: [`Do not cut investigations short to save ${s.metric}: thorough runs succeed more.`] }
        : { description: `${s.metric} outliers (over ${s.fence} ${s.unit}) fail more (success ${rates}; ${effects})`, recommendations: [`Keep runs within budget: runs over ${s.fence} ${s.unit} of ${s.metric} succeed less within the same ${same}.`] };
    }
    case "outlier_tool": {
      const s = c.stats as { metric: string; unit: string; fence: number };
      return {
        description: `${s.metric} outliers (over ${s.fence} ${s.unit}) have ${a} in common: ${pct(withRate)} of runs using it are outliers vs ${pct(withoutRate)} of the others (${effects})`,
        recommendations: [`Watch the ${s.metric} of ${a} calls (ask for less output, reuse earlier results): within the same ${same}, runs that use it are ${s.metric} outliers more often.`],
      };
    }
  }
}
