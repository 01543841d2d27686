// Distils heuristics for the shared library from what the loop already learns: the analyzer's
// actionable findings (each recommendation a lesson) and a model's reflection on failed runs
// (one rule per run). Each lesson gets the scope it applies to: the agent it was learnt on, the
// task keys of the runs behind it, and the tools its finding is about.
import { z } from "zod";
import { listPatterns } from "../analyzer/list-patterns.js";
import { listFailedRuns, profileTraces } from "../collector/query/run-outcomes.js";
import { chargeOnFailure } from "./spent-then-failed.js";
import type { Database } from "../db/database.js";
import type { ChatModel } from "../llm/chat-model.js";
import type { Logger } from "../log/logger.js";
import { addHeuristic, listHeuristics } from "./heuristic-store.js";
import { markReflected, reflectedRuns } from "./replay-buffer.js";

export interface DistillSettings {
  /** Minimum confidence of a finding (config confidence_threshold). */
  confidenceThreshold: number;
  /** Failed runs per agent to reflect on (config heuristics_reflections); 0: none. */
  reflections: number;
  initialQ: number;
}

export interface DistillOutcome {
  fromPatterns: { added: number; known: number };
  /** `calls` and `tokens`: the model calls the reflections made, and their prompt + completion tokens. */
  fromReflections: { added: number; known: number; failed: number; calls: number; tokens: number };
}

/** Tool names a pattern key mentions (`failure_pattern:tool:get_logs`, `success_pattern:before:a>b`). */
function toolsOfKey(key: string, known: readonly string[]): string[] {
  const parts = new Set(key.split(/[:>,|\s]+/).filter(Boolean));
  return known.filter((t) => parts.has(t));
}

/** Lessons from the latest actionable findings of `agent` (or every agent). */
export async function distillFromPatterns(db: Pick<Database, "forTenant">, tenant: string, agent: string | undefined, settings: DistillSettings): Promise<DistillOutcome["fromPatterns"]> {
  const { pool } = db.forTenant(tenant);
  const patterns = await listPatterns(db, { tenant, actionable: true, minConfidence: settings.confidenceThreshold, ...(agent ? { agent } : {}) });
  let added = 0;
  let known = 0;
  for (const p of patterns) {
    if (p.impliedBy || p.recommendations.length === 0) continue;
    const profile = await profileTraces(pool, tenant, [...p.evidence.failure, ...p.evidence.success]);
    for (const text of p.recommendations) {
      const { created } = await addHeuristic(
        db,
        tenant,
        {
          text,
          sourceKind: "pattern",
          source: { agent: p.agent, patternId: p.id, patternKey: p.key, confidence: p.confidence },
          scope: { agents: [p.agent], tasks: profile.tasks, tools: toolsOfKey(p.key, profile.tools) },
        },
        settings.initialQ,
      );
      if (created) added++;
      else known++;
    }
  }
  return { added, known };
}

const LessonSchema = z.object({ instructions: z.string().min(1).max(1000) });

/** Asks the model for one rule per failed run of `agent` not reflected on before. */
export async function distillFromReflections(
  db: Pick<Database, "forTenant">,
  tenant: string,
  agent: string,
  model: ChatModel,
  settings: DistillSettings,
  logger: Logger,
  signal?: AbortSignal,
  /** Most model calls the reflections may make (what is left of a learning cycle's budget). Default: settings.reflections. */
  maxCalls: number = settings.reflections,
): Promise<DistillOutcome["fromReflections"]> {
  const out = { added: 0, known: 0, failed: 0, calls: 0, tokens: 0 };
  const limit = Math.max(0, Math.min(settings.reflections, maxCalls));
  if (limit === 0) return out;
  const { pool } = db.forTenant(tenant);
  const seen = new Set([...(await listHeuristics(db, tenant)).flatMap((h) => h.source.traceIds ?? []), ...(await reflectedRuns(db, tenant))]);
  const runs = (await listFailedRuns(pool, tenant, agent, Math.min(5000, settings.reflections + seen.size))).filter((r) => !seen.has(r.id)).slice(0, limit);
  const reflected: string[] = [];
  await chargeOnFailure(out, signal, async () => {
    for (const run of runs) {
      signal?.throwIfAborted();
      const messages = [
        { role: "system" as const, content: "You distil lessons from failed runs of an AI agent so that other agents facing the same kind of task avoid the failure." },
        {
          role: "user" as const,
          content: [
            `The agent "${agent}" failed on this run.`,
            `Input: ${JSON.stringify(run.input)}`,
            `Its answer: ${JSON.stringify(run.output)}`,
            ...(run.feedback ? [`Feedback: ${run.feedback}`] : []),
            "",
            "Propose improved instructions for such tasks as ONE short, general rule (a heuristic) that would have avoided this failure on similar inputs. Do not mention this run.",
            'Answer with JSON: {"instructions": "<the rule>"}',
          ].join("\n"),
        },
      ];
      try {
        out.calls++;
        const res = await model.complete({ messages, json: true, temperature: 0, ...(signal ? { signal } : {}) });
        out.tokens += res.usage.promptTokens + res.usage.completionTokens;
        let parsedJson: unknown;
        try {
          parsedJson = JSON.parse(res.content);
        } catch {
          parsedJson = undefined;
        }
        reflected.push(run.id);
        const parsed = LessonSchema.safeParse(parsedJson);
        if (!parsed.success) {
          out.failed++;
          logger.warn({ name: "heuristic-reflection-unparsed", tenant, agent, trace: run.id }, "the model's reflection was not a rule");
          continue;
        }
        const profile = await profileTraces(pool, tenant, [run.id]);
        const { created } = await addHeuristic(db, tenant, { text: parsed.data.instructions, sourceKind: "reflection", source: { agent, traceIds: [run.id] }, scope: { agents: [agent], tasks: profile.tasks, tools: [] } }, settings.initialQ);
        if (created) out.added++;
        else out.known++;
      } catch (e) {
        if (signal?.aborted) throw e;
        out.failed++;
        logger.warn({ name: "heuristic-reflection-failed", tenant, agent, trace: run.id, err: e }, "reflection failed");
      }
    }
    // A run the model answered on is not asked about again (even when its lesson was already known).
    await markReflected(db, tenant, reflected);
  });
  return out;
}
