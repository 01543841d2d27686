// Unified diff between two versions of a tenant's routing policy file (default: the served
// version's parent → the served version): one line per route's weights, so the diff shows which
// routes moved.
import { NotFoundError } from "../errors.js";
import { unifiedDiff } from "./prompt-diff.js";
import type { RoutingPolicyStore } from "./routing-policy-store.js";

export interface RoutingDiff {
  from: number | null;
  to: number;
  diff: string;
}

export async function diffRoutingPolicies(store: RoutingPolicyStore, request: { tenant: string; from?: number; to?: number; color?: boolean }): Promise<RoutingDiff> {
  const { tenant } = request;
  const latest = await store.latest(tenant);
  if (!latest) throw new NotFoundError(`tenant ${tenant} has no routing policy yet`);
  const to = request.to ?? latest.version;
  const toText = await store.readText(tenant, to);
  if (toText === undefined) throw new NotFoundError(`routing policy version ${to} of tenant ${tenant} not found`);
  const from = request.from ?? (to === latest.version ? latest.parent : ((await store.get(tenant, to))?.parent ?? null));
  const fromText = from === null ? "" : await store.readText(tenant, from);
  if (fromText === undefined) throw new NotFoundError(`routing policy version ${from} of tenant ${tenant} not found`);
  return { from, to, diff: unifiedDiff(from === null ? "/dev/null" : `routing@${from}`, fromText, `routing@${to}`, toText, request.color ? { color: true } : {}) };
}
