// The prompt a tenant is served now for one signature, rendered for an agent that calls its model
// itself (GET /v1/prompts/:name; the SDK's getPrompt). Same source as runSignature: the registry's
// served versions (the tenant's compiled file, else the hand-written baseline).
import type { ServedPrompt } from "../domain/served-prompt.js";
import type { ServedVersions } from "../registry/served-versions.js";
import { servedPromptOf } from "../signature/serve-prompt.js";

/** The served (or the pinned `version`) prompt of `name` for `tenant`; throws NotFoundError naming what exists. */
export async function getServedPrompt(registry: ServedVersions, input: { tenant: string; name: string; version?: string }): Promise<ServedPrompt> {
  const version = await registry.resolve(input.tenant, input.name, input.version ? { version: input.version } : {});
  const baseline = registry.latest(input.tenant, input.name) === undefined && version.provenance.optimizer === "baseline";
  return servedPromptOf(version, { baseline });
}
