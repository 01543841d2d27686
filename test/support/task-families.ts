// Synthetic traces from task families: each family has its own difficulty (base success), run
// length and tool habits, so a crude comparison across families is confounded — the situation
// the analyzer must see through. Planted effects (a tool that truly helps or hurts inside every
// family, a tool that fails with known error texts) are added on top. Reproducible from a seed.
import { createRng } from "../../src/compiler/random.js";
import type { SyntheticStep, SyntheticTrace } from "./seed-traces.js";

export interface FamilySpec {
  /** Task key (stored only when `withTaskKey`). */
  task: string;
  count: number;
  /** Tool calls per run, inclusive range. */
  length: [number, number];
  /** Success probability before planted effects. */
  success: number;
  /** Filler tools drawn uniformly. */
  tools: string[];
  /** Probability that a run also calls each of these tools (once, at a random place). */
  uses?: Record<string, number>;
  /** Inputs of the family's runs (cycled), e.g. from intent-families.ts. */
  inputs?: string[];
}

export interface FamilyOptions {
  seed: number;
  agent: string;
  idPrefix: string;
  /** Store the task key on each trace. Default true. */
  withTaskKey?: boolean;
  /** Added to the family's success probability (planted effects), given the run's tools and failures. */
  effect?: (run: { tools: string[]; failed: Set<string>; family: FamilySpec }) => number;
  /** Probability that a call of the tool fails. Default 0.02 for every tool. */
  errorRate?: Record<string, number>;
  /** Error text of a failed call. Default `<tool> failed`. */
  errorText?: (tool: string, random: () => number) => string;
}

export function generateFamilies(families: readonly FamilySpec[], options: FamilyOptions): SyntheticTrace[] {
  const random = createRng(options.seed);
  const start = Date.now() - 86_400_000;
  const out: SyntheticTrace[] = [];
  for (const family of families) {
    for (let i = 0; i < family.count; i++) {
      const length = family.length[0] + Math.floor(random() * (family.length[1] - family.length[0] + 1));
      const tools = Array.from({ length }, () => family.tools[Math.floor(random() * family.tools.length)]!);
      for (const [tool, p] of Object.entries(family.uses ?? {})) if (random() < p) tools.splice(Math.floor(random() * (tools.length + 1)), 0, tool);
      const failed = new Set<string>();
      const steps: SyntheticStep[] = tools.map((name) => {
        const ok = random() >= (options.errorRate?.[name] ?? 0.02);
        if (!ok) failed.add(name);
        return { type: "tool_call", name, success: ok, durationMs: Math.round(50 + random() * 300), ...(ok ? {} : { error: options.errorText?.(name, random) ?? `${name} failed` }) };
      });
      const p = Math.min(0.99, Math.max(0.01, family.success + (options.effect?.({ tools, failed, family }) ?? 0)));
      const id = `${options.idPrefix}${out.length}`;
      out.push({
        id,
        agent: options.agent,
        ...(options.withTaskKey === false ? {} : { task: family.task }),
        ...(family.inputs ? { input: family.inputs[i % family.inputs.length] } : {}),
        startedAt: new Date(start + out.length * 1000),
        success: random() < p,
        durationMs: steps.reduce((s, x) => s + (x.durationMs ?? 0), 0),
        promptTokens: 500 + Math.floor(random() * 500),
        completionTokens: 100 + Math.floor(random() * 100),
        costUsd: 0.001,
        steps,
      });
    }
  }
  return out;
}
