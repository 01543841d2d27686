// The learned routing policy (seed 002): a linear softmax over task features that picks the route
// (and model) of a sub-task. It is a file in the prompts repository, versioned like prompts:
// `versions/_routing/<tenant>.json`, one commit and tag per trained version. The file is written
// with one line per weight row so a diff shows which route's weights moved.
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { formatZodIssues } from "./format-issues.js";

/** Routes a sub-task can take: the worker answers, or the engineer writes a program. */
export const ROUTES = ["worker", "engineer"] as const;
export type Route = (typeof ROUTES)[number];

export const RoutingArmSchema = z.object({
  /** `worker`, or `worker@model` when models are routed too. */
  id: z.string().min(1),
  route: z.enum(ROUTES),
  /** Model to call; null: the signature's own model. */
  model: z.string().min(1).nullable(),
});
export type RoutingArm = z.infer<typeof RoutingArmSchema>;

export const FeatureSpecSchema = z.object({
  /** Size of the projected task embedding (0: none). */
  embeddingDims: z.number().int().min(0).max(64),
  /** Seed of the random projection, so serving and training project alike. */
  projectionSeed: z.number().int(),
  /** Intents with their own one-hot feature; anything else is `other`. */
  intents: z.array(z.string().min(1)),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

/** A number that JSON may hold as null (an estimate with no data: NaN in memory, null in the file). */
const maybeNumber = z.number().nullable().transform((v) => v ?? Number.NaN);
const EstimateSchema = z.object({ mean: maybeNumber, low: maybeNumber, high: maybeNumber });
export type RewardEstimate = z.infer<typeof EstimateSchema>;

export const TrainingSummarySchema = z.object({
  /** Traces with a known outcome the policy was trained on. */
  traces: z.number().int().min(0),
  /** Traces skipped (route not configured any more, no text). */
  skipped: z.number().int().min(0).default(0),
  epochs: z.number().int().min(0),
  learningRate: z.number(),
  /** Mean logged reward (the baseline of REINFORCE). */
  baseline: z.number(),
  /** Self-normalised importance-weighted estimates of the mean reward on the recorded tasks, with 95% intervals. */
  estimatedReward: z.object({ logged: EstimateSchema, fixedRule: EstimateSchema, uniform: EstimateSchema, policy: EstimateSchema }),
  /** Estimated reward after each training epoch. */
  rewardByEpoch: z.array(maybeNumber),
  /** Share of the recorded decisions per route (what was logged). */
  loggedUtilization: z.record(z.string(), z.number()),
  /** Share of the recorded tasks each route would get from the trained policy (greedy). */
  utilization: z.record(z.string(), z.number()),
});
export type TrainingSummary = z.infer<typeof TrainingSummarySchema>;

export const RoutingPolicySchema = z.object({
  kind: z.literal("routing-policy"),
  tenant: z.string().min(1),
  /** 1, 2, 3… one per trained (or rolled-back) policy. */
  version: z.number().int().positive(),
  parent: z.number().int().positive().nullable(),
  trainedAt: z.string(),
  /** Set on rollback versions: the version whose weights this one restores. */
  rollbackOf: z.number().int().positive().optional(),
  /** λ the rewards were computed with. */
  lambda: z.number().min(0),
  features: FeatureSpecSchema,
  arms: z.array(RoutingArmSchema).min(1),
  /** One row per arm id: a weight per feature (the first feature is the constant 1). */
  weights: z.record(z.string(), z.array(z.number())),
  training: TrainingSummarySchema,
});
export type RoutingPolicy = z.infer<typeof RoutingPolicySchema>;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The policy file's text: pretty JSON, numbers rounded to 4 decimals, each number array on one line. */
export function serializeRoutingPolicy(policy: RoutingPolicy): string {
  const text = JSON.stringify(policy, (_key, v: unknown) => (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? round(v) : v), 2);
  return `${text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`)}\n`;
}

/** Parses a policy file; errors name the path of the bad field. */
export function parseRoutingPolicy(text: string, source = "routing policy"): RoutingPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`${source}: not valid JSON: ${(e as Error).message}`);
  }
  const parsed = RoutingPolicySchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`${source}: ${formatZodIssues(parsed.error.issues)}`, { issues: parsed.error.issues });
  for (const arm of parsed.data.arms) {
    if (!parsed.data.weights[arm.id]) throw new ValidationError(`${source}: weights.${arm.id}: missing`);
  }
  return parsed.data;
}

/** Arm id of a route and model. */
export const armId = (route: Route, model: string | null) => (model ? `${route}@${model}` : route);
