// Intents of traces without a task key: their inputs, embedded by the shared embedder (vectors
// kept in trace_embeddings, so an input is embedded once), clustered with the number of groups
// chosen from the data (statistics/cluster-vectors.ts), each group labelled by its most central
// inputs. A capped sample keeps the cost bounded: embedding runs at ~90 inputs/s on two cores
// with the local encoder, so a 100k-trace window is never embedded in one analysis; traces
// outside the sample are left out of within-intent tests (the crude figures still count them).
import type { Database } from "../db/database.js";
import type { Embedder } from "../llm/embedder.js";
import type { Logger } from "../log/logger.js";
import { traceInputVectors } from "../memory/trace-input-vectors.js";
import { traceText } from "../memory/trace-text.js";
import { clusterVectors, dot, unit } from "./statistics/cluster-vectors.js";
import { createTraceSource } from "../collector/query/create-trace-source.js";
import { readTraceInputs, selectIntentSample } from "../collector/query/sample-intent-traces.js";
import type { IntentAssignment } from "./strata.js";

export interface GroupIntentsInput {
  tenant: string;
  agent: string;
  since?: Date;
  embedder: Embedder;
  /** `analyzer_intent_sample`: inputs embedded and clustered at most. Default 2000. */
  sampleSize?: number;
  logger?: Logger;
}

export interface IntentGrouping extends IntentAssignment {
  /** Groups found (1: no structure, every trace in one group). */
  k: number;
  silhouettes: { k: number; silhouette: number }[];
  /** Traces eligible (labelled, no task key), sampled, and sampled without any input text. */
  eligible: number;
  sampled: number;
  withoutText: number;
  model: string;
  embedMs: number;
  clusterMs: number;
}

const EXAMPLES = 3;
const LABEL_CHARS = 80;

/** Groups the window's traces without a task key into intents; undefined when too few have inputs. */
export async function groupIntents(db: Pick<Database, "upkeep" | "forTenant">, input: GroupIntentsInput): Promise<IntentGrouping | undefined> {
  const sampleSize = input.sampleSize ?? 2000;
  if (sampleSize <= 0) return undefined;
  const { pool } = db.forTenant(input.tenant);
  const sample = await selectIntentSample(pool, { tenant: input.tenant, agent: input.agent, ...(input.since ? { since: input.since } : {}), limit: sampleSize });
  if (sample.traceIds.length < 4) return undefined;
  const t0 = performance.now();
  const vectors = await traceInputVectors({ db, traces: createTraceSource(db), embedder: input.embedder, ...(input.logger ? { logger: input.logger } : {}) }, { tenant: input.tenant, agent: input.agent, traceIds: sample.traceIds, limit: sample.traceIds.length });
  const t1 = performance.now();
  // Hash order, not the store's: the same sample clusters the same way however it was embedded.
  const byId = new Map(vectors.traces.map((t) => [t.traceId, t.vector]));
  const ids = sample.traceIds.filter((id) => byId.has(id));
  if (ids.length < 4) return undefined;
  const points = ids.map((id) => byId.get(id)!);
  const clustering = clusterVectors(points);
  const t2 = performance.now();
  // The most central inputs of each group label it.
  const central: string[][] = Array.from({ length: clustering.k }, () => []);
  const scored = ids.map((id, i) => ({ id, group: clustering.assignments[i]!, sim: dot(unit(points[i]!), clustering.centroids[clustering.assignments[i]!]!) }));
  scored.sort((x, y) => y.sim - x.sim || (x.id < y.id ? -1 : 1));
  for (const s of scored) if (central[s.group]!.length < EXAMPLES) central[s.group]!.push(s.id);
  const inputs = await readTraceInputs(pool, input.tenant, central.flat());
  const examples = central.map((group) => group.map((traceId) => ({ traceId, text: traceText(inputs.get(traceId)?.input, inputs.get(traceId)?.problem) ?? "" })));
  const labels = examples.map((group, g) => {
    const text = group[0]?.text ?? `intent ${g + 1}`;
    return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
  });
  return {
    byTrace: new Map(ids.map((id, i) => [id, clustering.assignments[i]!])),
    labels,
    examples,
    k: clustering.k,
    silhouettes: clustering.silhouettes,
    eligible: sample.eligible,
    sampled: sample.traceIds.length,
    withoutText: sample.traceIds.length - ids.length,
    model: vectors.model,
    embedMs: Math.round(t1 - t0),
    clusterMs: Math.round(t2 - t1),
  };
}
