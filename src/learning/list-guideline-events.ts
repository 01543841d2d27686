// Guideline history of a signature: which guideline was added or removed when, in which
// version, and from which pattern.
import { findPatterns } from "../analyzer/latest-patterns.js";
import type { Database } from "../db/database.js";

export interface GuidelineEventView {
  at: string;
  version: string;
  action: "added" | "removed";
  guideline: string;
  patternId: string | null;
  patternKey: string | null;
  patternDescription: string | null;
  confidence: number | null;
}

export async function listGuidelineEvents(db: Database, options: { tenant: string; signature: string }): Promise<GuidelineEventView[]> {
  db = db.forTenant(options.tenant);
  const rows = (
    await db.prisma.guidelineEvent.findMany({ where: { tenantId: options.tenant, signature: options.signature }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })
  ).map((g) => ({ at: g.createdAt, version: g.version, action: g.action as "added" | "removed", guideline: g.guideline, pattern_id: g.patternId, confidence: g.confidence }));
  // The pattern's key and description come from the analyzer, which owns `patterns`.
  const ids = [...new Set(rows.flatMap((r) => (r.pattern_id === null ? [] : [r.pattern_id])))];
  const patterns = new Map((await findPatterns(db.pool, options.tenant, ids)).map((p) => [p.id, p]));
  return rows.map((r) => ({
    at: r.at.toISOString(),
    version: r.version,
    action: r.action,
    guideline: r.guideline,
    patternId: r.pattern_id,
    patternKey: (r.pattern_id === null ? undefined : patterns.get(r.pattern_id)?.key) ?? null,
    patternDescription: (r.pattern_id === null ? undefined : patterns.get(r.pattern_id)?.description) ?? null,
    confidence: r.confidence,
  }));
}
