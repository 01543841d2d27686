// The human sentence and the imperative recommendations of a scored candidate. Recommendations
// are written to be pasted into a prompt as guidelines ("Call A before B").
import type { Candidate } from "./candidate.js";

const pct = (x: number) => `${Math.round(x * 100)}%`;
const arrow = (tools: string[]) => tools.join(" → ");

export interface Described {
  description: string;
  recommendations: string[];
}

/** Describes a candidate once its direction is known (`effect` = rate with − rate without). */
export function describePattern(c: Candidate, effect: number): Described {
  const withRate = c.withN === 0 ? 0 : c.withHits / c.withN;
  const withoutRate = c.withoutN === 0 ? 0 : c.withoutHits / c.withoutN;
  const rates = `${pct(withRate)} of ${c.withN} runs vs ${pct(withoutRate)} of ${c.withoutN} otherwise`;
  const [a = "", b = "", d = ""] = c.tools;
  const better = effect > 0;
  switch (c.kind) {
    case "before":
      return better
        ? { description: `Successful tool order: ${a} before ${b} (success ${rates})`, recommendations: [`Call ${a} before ${b}.`] }
        : { description: `Failing tool order: ${a} before ${b} (success ${rates})`, recommendations: [`Avoid calling ${a} before ${b}.`] };
    case "ngram":
      if (better) {
        return {
          description: `Successful tool sequence: ${arrow(c.tools)} (success ${rates})`,
          recommendations: [c.tools.length === 2 ? `Call ${b} right after ${a}.` : `Follow the sequence ${arrow(c.tools)}: call ${a}, then ${b}, then ${d}.`],
        };
      }
      return { description: `Failing tool sequence: ${arrow(c.tools)} (success ${rates})`, recommendations: [c.tools.length === 2 ? `Avoid calling ${b} right after ${a}.` : `Avoid the sequence ${arrow(c.tools)}.`] };
    case "tool": {
      const s = c.stats as { errorRate: number; latencyP50Ms: number | null; latencyP95Ms: number | null; shareOfRuns: number };
      const latency = s.latencyP50Ms === null ? "" : `, latency p50 ${s.latencyP50Ms} ms / p95 ${s.latencyP95Ms} ms`;
      const description = `${better ? "Effective" : "Ineffective"} tool: ${a} (runs using it succeed ${rates}; ${pct(s.errorRate)} of its calls fail${latency}; used in ${pct(s.shareOfRuns)} of runs)`;
      const recommendations = better ? [`Prefer ${a} when it applies: runs that use it succeed ${pct(withRate)} of the time.`] : [`Use ${a} only when nothing else answers the question: runs that use it succeed ${pct(withRate)} of the time vs ${pct(withoutRate)}.`];
      if (s.errorRate >= 0.2) recommendations.push(`Check the arguments of ${a} before calling it: ${pct(s.errorRate)} of its calls fail.`);
      return { description, recommendations };
    }
    case "tool_error": {
      const s = c.stats as { errorRate: number; errorRateCi: [number, number]; calls: number; errors: number; otherToolsErrorRate: number };
      return {
        description: `Common failure point: ${a} fails in ${pct(s.errorRate)} of its calls (${s.errors}/${s.calls}, 95% CI ${pct(s.errorRateCi[0])}–${pct(s.errorRateCi[1])}; other tools ${pct(s.otherToolsErrorRate)}); runs where it fails succeed ${rates}`,
        recommendations: [`Validate the arguments of ${a} before calling it, and handle its errors: ${pct(s.errorRate)} of its calls fail.`, `When ${a} fails, diagnose the error before retrying or moving on.`],
      };
    }
    case "last_tool":
      return {
        description: `Failing runs often stop right after ${a} (runs ending with ${a} succeed ${rates})`,
        recommendations: [`Do not finish right after ${a}: check its result with a further step first.`],
      };
    case "thinking_present":
      return better
        ? { description: `Reasoning before acting helps (runs with thinking steps succeed ${rates})`, recommendations: ["Reason step by step before choosing each tool."] }
        : { description: `Runs with thinking steps do worse (success ${rates})`, recommendations: ["Keep reasoning short and act on the evidence you have."] };
    case "thinking_long": {
      const median = (c.stats as { medianCharsPerStep: number }).medianCharsPerStep;
      return better
        ? { description: `Longer reasoning (≥ ${median} characters per step) succeeds more (${rates})`, recommendations: ["Reason thoroughly: spell out what you know and what you still need before acting."] }
        : { description: `Long reasoning (≥ ${median} characters per step) succeeds less (${rates})`, recommendations: ["Keep each reasoning step brief and focused on the next action."] };
    }
    case "thinking_justified":
      return better
        ? { description: `Justified tool choices succeed more (${rates})`, recommendations: ["Justify each tool choice before calling the tool."] }
        : { description: `Runs that justify tool choices succeed less (${rates})`, recommendations: ["Spend less effort justifying tool choices; act and check results instead."] };
    case "outliers": {
      const s = c.stats as { metric: string; unit: string; fence: number };
      return better
        ? { description: `${s.metric} outliers (over ${s.fence} ${s.unit}) succeed more (${rates})`, recommendations: [`Do not cut investigations short to save ${s.metric}: thorough runs succeed more.`] }
        : { description: `${s.metric} outliers (over ${s.fence} ${s.unit}) fail more (success ${rates})`, recommendations: [`Keep runs within budget: runs over ${s.fence} ${s.unit} of ${s.metric} succeed ${pct(withRate)} of the time vs ${pct(withoutRate)}.`] };
    }
    case "outlier_tool": {
      const s = c.stats as { metric: string; unit: string; fence: number };
      return {
        description: `${s.metric} outliers (over ${s.fence} ${s.unit}) have ${a} in common: ${pct(withRate)} of runs using it are outliers vs ${pct(withoutRate)} of the others`,
        recommendations: [`Call ${a} only when needed: runs that use it are ${s.metric} outliers ${pct(withRate)} of the time vs ${pct(withoutRate)}.`],
      };
    }
  }
}
