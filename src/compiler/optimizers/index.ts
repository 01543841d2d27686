// The optimizers by name (`meta-agent compile --optimizer NAME`).
import { ValidationError } from "../../errors.js";
import { bootstrapFewShot } from "./bootstrap-few-shot.js";
import { evolutionarySearch, type SearchHooks } from "./evolutionary-search.js";
import { guidelineInduction } from "./guideline-induction.js";
import type { Optimizer } from "./optimizer.js";
import { reflectiveInstructions } from "./reflective-instructions.js";

export const OPTIMIZER_NAMES = ["search", "bootstrap-few-shot", "guideline-induction", "reflective"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Builds the named optimizer; `hooks` lets search judge its finalists on the dev set. */
export function createOptimizer(name: string, hooks: SearchHooks = {}): Optimizer {
  switch (name) {
    case "search":
      return evolutionarySearch({}, hooks);
    case "bootstrap-few-shot":
      return bootstrapFewShot;
    case "guideline-induction":
      return guidelineInduction;
    case "reflective":
      return reflectiveInstructions();
    default:
      throw new ValidationError(`optimizer: unknown "${name}" (known: ${OPTIMIZER_NAMES.join(", ")})`);
  }
}
