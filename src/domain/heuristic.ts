// A heuristic of the shared library (seed 004): one lesson, where it came from, where it applies,
// and what runs that carried it earned. Domain type of the `heuristics` table.
import { z } from "zod";

export const HeuristicScopeSchema = z.object({
  /** Agents (and signatures) it was learnt on. */
  agents: z.array(z.string()).default([]),
  /** Task keys (`traces.task`): the kind of task, the intent it is about. */
  tasks: z.array(z.string()).default([]),
  /** Tools it is about. */
  tools: z.array(z.string()).default([]),
});
export type HeuristicScope = z.infer<typeof HeuristicScopeSchema>;

export const HeuristicSourceSchema = z.object({
  /** The agent whose runs taught it. */
  agent: z.string(),
  /** `pattern`: the analyzer finding it restates. */
  patternId: z.string().optional(),
  patternKey: z.string().optional(),
  confidence: z.number().optional(),
  /** `reflection`: the failed runs the model reflected on. */
  traceIds: z.array(z.string()).optional(),
});
export type HeuristicSource = z.infer<typeof HeuristicSourceSchema>;

/** What a team acts on when it reads a Q-value: the counts behind it and the comparison made. */
export const HeuristicEvidenceSchema = z.object({
  /** Runs in the replay buffer whose prompt carried it, and their mean reward with a 95% interval. */
  uses: z.number().int().nonnegative(),
  meanReward: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  /** Runs of the same signatures in the buffer without it, and their mean reward. */
  baselineRuns: z.number().int().nonnegative(),
  baselineReward: z.number().nullable(),
  /** meanReward − baselineReward (an association: prompts changed in other ways too). */
  difference: z.number().nullable(),
  retiredBecause: z.string().optional(),
});
export type HeuristicEvidence = z.infer<typeof HeuristicEvidenceSchema>;

export const HeuristicSchema = z.object({
  id: z.string(),
  key: z.string(),
  text: z.string().min(1),
  sourceKind: z.enum(["pattern", "reflection"]),
  source: HeuristicSourceSchema,
  scope: HeuristicScopeSchema,
  qValue: z.number(),
  uses: z.number().int().nonnegative(),
  status: z.enum(["active", "retired"]),
  evidence: HeuristicEvidenceSchema.partial().default({}),
  createdAt: z.string(),
  updatedAt: z.string(),
  retiredAt: z.string().nullable(),
});
export type Heuristic = z.infer<typeof HeuristicSchema>;

/** The identity of a lesson: its text, case and spacing aside (the same lesson learnt twice is stored once). */
export const heuristicKey = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** The part of a heuristic a version was built from (hashed into its provenance): not its changing Q-value. */
export const heuristicContent = (h: Pick<Heuristic, "id" | "text" | "sourceKind" | "source" | "scope">) => ({ id: h.id, text: h.text, sourceKind: h.sourceKind, source: h.source, scope: h.scope });
