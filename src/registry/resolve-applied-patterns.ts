// Fills in the evidence (example trace ids) of the patterns a version applies from the
// tenant's `patterns` table.
import type { Database } from "../db/database.js";
import type { CompiledVersion } from "../domain/compiled-version.js";
import { patternsOf, type AppliedPattern } from "./applied-patterns.js";

const EXAMPLES = 3;

/** The version's pattern guidelines with up to three example trace ids each. */
export async function resolveAppliedPatterns(db: Pick<Database, "forTenant">, tenant: string, version: CompiledVersion): Promise<AppliedPattern[]> {
  const prisma = db.forTenant(tenant).prisma;
  const applied = patternsOf(version);
  const ids = applied.map((p) => p.id).filter((id): id is string => id !== undefined);
  if (ids.length === 0) return applied;
  const rows = await prisma.pattern.findMany({ where: { tenantId: tenant, id: { in: ids } }, select: { id: true, key: true, confidence: true, evidence: true, stats: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return applied.map((p) => {
    const row = p.id ? byId.get(p.id) : undefined;
    if (!row) return p;
    const ev = (row.evidence ?? {}) as { success?: unknown; failure?: unknown };
    const list = [...(Array.isArray(ev.success) ? ev.success : []), ...(Array.isArray(ev.failure) ? ev.failure : [])].filter((t): t is string => typeof t === "string");
    const summary = (row.stats as { evidenceSummary?: unknown } | null)?.evidenceSummary;
    return { ...p, key: p.key ?? row.key, confidence: p.confidence ?? row.confidence, ...(p.evidence === undefined && typeof summary === "string" ? { evidence: summary } : {}), exampleTraceIds: list.slice(0, EXAMPLES) };
  });
}
