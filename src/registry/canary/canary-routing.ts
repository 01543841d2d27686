// Which arm of a running canary a call is served: a stable hash of the canary and the caller's
// key (else the trace id) below `share` picks the candidate, so a user keeps their arm for the
// canary's life. The tenant's running canaries are read from the database at most every
// `refreshMs`, so every replica routes alike and sees a decision within that time.
import { createHash } from "node:crypto";
import type { Database } from "../../db/database.js";
import type { Canary } from "../../domain/canary.js";
import type { Logger } from "../../log/logger.js";
import { listCanaries } from "./canary-store.js";

export interface CanaryAssignment {
  canaryId: string;
  arm: "incumbent" | "candidate";
  /** The version the arm serves. */
  version: string;
}

export interface CanaryRouting {
  /** The arm of `key` in the running canary of (tenant, name), or undefined when none runs. */
  assign(tenant: string, name: string, key: string): Promise<CanaryAssignment | undefined>;
  /** Forgets what was read (after a decision taken in this process). */
  invalidate(tenant?: string): void;
}

/** A number in [0, 1) fixed by the canary and the key. */
export function armPoint(canaryId: string, key: string): number {
  return createHash("sha256").update(`${canaryId}\u0000${key}`).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export function createCanaryRouting(options: { db: Pick<Database, "forTenant">; logger: Logger; refreshMs?: number }): CanaryRouting {
  const refreshMs = options.refreshMs ?? 1000;
  const cache = new Map<string, { at: number; canaries: Promise<Canary[]> }>();
  const running = (tenant: string) => {
    const hit = cache.get(tenant);
    if (hit && Date.now() - hit.at < refreshMs) return hit.canaries;
    const canaries = listCanaries(options.db, tenant, { active: true }).catch((e: unknown) => {
      // Routing must never fail a call: without the canary list, everyone gets the incumbent.
      options.logger.warn({ name: "canary-routing-unavailable", tenant, err: e }, "running canaries could not be read; serving the incumbent");
      cache.delete(tenant);
      return [] as Canary[];
    });
    cache.set(tenant, { at: Date.now(), canaries });
    return canaries;
  };
  return {
    async assign(tenant, name, key) {
      const canary = (await running(tenant)).find((c) => c.signature === name && c.status === "running");
      if (!canary) return undefined;
      const candidate = armPoint(canary.id, key) < canary.settings.share;
      return { canaryId: canary.id, arm: candidate ? "candidate" : "incumbent", version: candidate ? canary.candidateVersion : canary.incumbentVersion };
    },
    invalidate(tenant) {
      if (tenant) cache.delete(tenant);
      else cache.clear();
    },
  };
}
