// Rollback of a routing policy: the weights of an earlier version become the next version
// (`rollbackOf` says which), committed and tagged like any other — history is never rewritten.
import type { RoutingPolicy } from "../domain/routing-policy.js";
import { AppError, NotFoundError } from "../errors.js";
import type { RoutingPolicyStore, StoredPolicyVersion } from "./routing-policy-store.js";

export interface RollbackRoutingResult {
  version: number;
  parent: number;
  rollbackOf: number;
  saved: StoredPolicyVersion;
}

/** Restores version `to` of the tenant's routing policy as a new version. */
export async function rollbackRoutingPolicy(store: RoutingPolicyStore, request: { tenant: string; to: number }): Promise<RollbackRoutingResult> {
  const { tenant, to } = request;
  const latest = await store.latest(tenant);
  if (!latest) throw new NotFoundError(`tenant ${tenant} has no routing policy yet`);
  const target = await store.get(tenant, to);
  if (!target) {
    const known = (await store.list(tenant)).map((v) => v.version);
    throw new NotFoundError(`routing policy version ${to} of tenant ${tenant} not found${store.git ? "" : " (without a git repository only the latest version is kept)"}; versions: ${known.join(", ") || "none"}`);
  }
  if (to === latest.version) throw new AppError("already_served", `routing policy version ${to} is the one served`, { status: 409 });
  const policy: RoutingPolicy = { ...target, version: latest.version + 1, parent: latest.version, rollbackOf: to, trainedAt: new Date().toISOString() };
  const saved = await store.save(tenant, policy, `routing policy ${policy.version} for ${tenant}: rollback to version ${to}`);
  return { version: policy.version, parent: latest.version, rollbackOf: to, saved };
}
