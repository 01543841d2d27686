// Starting a canary: the candidate that passed the gate is kept in the version mirror (status
// `canary`, its full content, so every replica can serve it by number) and a running canary row
// names the two arms. Nothing changes on the serving branch: the incumbent stays what
// versions/<name>.yaml holds until the canary is promoted.
import { serializeCompiledVersion, type CompiledVersion } from "../../domain/compiled-version.js";
import type { Canary, CanarySettings } from "../../domain/canary.js";
import { AppError } from "../../errors.js";
import type { RegistryDeps } from "../registry-deps.js";
import { listMirror, upsertMirror } from "../version-mirror.js";
import { allocateVersion } from "../allocate-version.js";
import { insertCanary, listCanaries } from "./canary-store.js";

export interface StartCanaryInput {
  tenant: string;
  candidate: CompiledVersion;
  /** The version served now (the canary's control arm). */
  incumbent: CompiledVersion;
  settings: CanarySettings;
  /** The gate's verdict and scores, for the mirror row. */
  summary: string;
}

/** Starts a canary; refuses (409) when one of the signature is already in flight. */
export async function startCanary(deps: RegistryDeps, input: StartCanaryInput): Promise<Canary> {
  const name = input.candidate.name;
  const running = await listCanaries(deps.db, input.tenant, { signature: name, active: true });
  if (running.length > 0) throw new AppError("canary_in_flight", `a canary of ${name} ${running[0]!.candidateVersion} is already running`, { status: 409 });
  const taken = new Set(await deps.store.versions(input.tenant, name));
  for (const row of await listMirror(deps.db, input.tenant, name)) if (row.status !== "rejected") taken.add(row.version);
  const candidate = taken.has(input.candidate.version) ? { ...input.candidate, version: allocateVersion(input.incumbent, input.candidate, taken), parent: input.incumbent.version } : input.candidate;
  await upsertMirror(deps.db, input.tenant, { version: candidate, content: serializeCompiledVersion(candidate), status: "canary", summary: { text: input.summary } });
  const canary = await insertCanary(deps.db, { tenant: input.tenant, signature: name, incumbentVersion: input.incumbent.version, candidateVersion: candidate.version, settings: input.settings });
  deps.logger.info({ name: "canary-started", tenant: input.tenant, signature: name, canary: canary.id, incumbent: canary.incumbentVersion, candidate: canary.candidateVersion, share: input.settings.share }, `canary of ${name} ${candidate.version} started on ${Math.round(input.settings.share * 100)}% of traffic`);
  return canary;
}
