// One refresh of the tenant's shared library, the step a learning cycle runs after analysing an
// agent (and `meta-agent heuristics refresh` runs on demand): distil lessons from the findings
// and from reflections on failed runs, read new outcomes into the replay buffer, replay it into
// the Q-values, retire what earns too little.
import type { Database } from "../db/database.js";
import type { ChatModel } from "../llm/chat-model.js";
import type { Logger } from "../log/logger.js";
import { distillFromPatterns, distillFromReflections, type DistillOutcome } from "./distill-heuristics.js";
import { chargeOnFailure } from "./spent-then-failed.js";
import { fillReplayBuffer } from "./replay-buffer.js";
import type { HeuristicsSettings } from "./settings.js";
import { updateHeuristicValues, type ValueOutcome } from "./update-heuristic-values.js";

export interface RefreshDeps {
  db: Pick<Database, "forTenant">;
  /** For reflections; without it only findings become heuristics. */
  model?: ChatModel;
  logger: Logger;
  settings: HeuristicsSettings;
}

export interface RefreshOutcome extends DistillOutcome {
  replay: { added: number; evicted: number };
  values: ValueOutcome;
}

/** Refreshes the library from `agent`'s findings and failures (or every agent's findings, without reflections). */
/** `maxLlmCalls`: most model calls the reflections may make (a learning cycle passes what is left of max_llm_calls_per_cycle). */
export async function refreshHeuristics(deps: RefreshDeps, input: { tenant: string; agent?: string; signal?: AbortSignal; maxLlmCalls?: number }): Promise<RefreshOutcome> {
  const { db, settings, logger } = deps;
  const fromPatterns = await distillFromPatterns(db, input.tenant, input.agent, settings);
  const fromReflections =
    deps.model && input.agent
      ? await distillFromReflections(db, input.tenant, input.agent, deps.model, settings, logger, input.signal, input.maxLlmCalls ?? settings.reflections)
      : { added: 0, known: 0, failed: 0, calls: 0, tokens: 0 };
  // The reflections' calls are spent: a failure from here on carries them (SpentThenFailedError).
  const { replay, values } = await chargeOnFailure(fromReflections, input.signal, async () => ({
    replay: await fillReplayBuffer(db, input.tenant, settings.replayCapacity),
    values: await updateHeuristicValues(db, input.tenant, settings),
  }));
  for (const r of values.retired) logger.info({ name: "heuristic-retired", tenant: input.tenant, heuristic: r.id, qValue: r.qValue, uses: r.uses }, `retired heuristic: ${r.text}`);
  logger.info({ name: "heuristics-refreshed", tenant: input.tenant, agent: input.agent, fromPatterns, fromReflections, replay, updated: values.updated, retired: values.retired.length }, "heuristics refreshed");
  return { fromPatterns, fromReflections, replay, values };
}
