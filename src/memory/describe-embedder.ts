// What `meta-agent status` says about embeddings: the running service's embedder (from its state
// file, where a fallback to hashing shows), else the configured one, and how many of the tenant's
// stored vectors come from another embedder (not matched until `embeddings reembed` runs).
import type { Config } from "../config/index.js";
import type { Database } from "../db/database.js";
import { embedderChoice } from "../llm/create-embedder.js";
import { LOCAL_EMBEDDER_MODEL } from "../llm/local-embedder.js";
import { readServiceState } from "../runtime/state-file.js";
import { countStaleVectors } from "./reembed-vectors.js";

export interface EmbedderDescription {
  configured: string;
  /** The model vectors are made with now (the service's), or would be made with (configured). */
  model: string | null;
  /** `not_running` when no service is up: the model is then what the configuration asks for. */
  state: string;
  reason?: string;
  staleVectors: number;
  summary: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function describeEmbedder(db: Pick<Database, "forTenant">, config: Pick<Config, "embedder" | "embeddingsBaseUrl" | "embeddingsModel" | "embeddingsDimension" | "stateFile">, tenant: string): Promise<EmbedderDescription> {
  const service = readServiceState(config.stateFile);
  const running = service?.embedder && isAlive(service.pid) ? service.embedder : undefined;
  const configured = embedderChoice(config);
  const model = running?.model ?? (configured === "local" ? LOCAL_EMBEDDER_MODEL : configured === "hash" ? `hash-${config.embeddingsDimension ?? 384}` : (config.embeddingsModel ?? null));
  const stale = model ? Object.values(await countStaleVectors(db, tenant, model)).reduce((a, b) => a + b, 0) : 0;
  const state = running?.state ?? "not_running";
  const summary = running
    ? `${running.model} (${running.state === "fallback" ? "FALLBACK from the local encoder" : running.state}${running.loadMs !== undefined ? `, loaded in ${running.loadMs} ms` : ""})`
    : `${configured}${model ? ` (${model})` : ""}; no service running`;
  return { configured: running?.configured ?? configured, model, state, ...(running?.reason ? { reason: running.reason } : {}), staleVectors: stale, summary };
}
