// Guideline history of a signature: which guideline was added or removed when, in which
// version, and from which pattern.
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
  const { rows } = await db.pool.query<{ at: Date; version: string; action: "added" | "removed"; guideline: string; pattern_id: string | null; key: string | null; description: string | null; confidence: number | null }>(
    `SELECT g.created_at AS at, g.version, g.action, g.guideline, g.pattern_id, p.key, p.description, g.confidence
       FROM guideline_events g
       LEFT JOIN patterns p ON p.id = g.pattern_id AND p.tenant_id = g.tenant_id
      WHERE g.tenant_id = $1 AND g.signature = $2
      ORDER BY g.created_at, g.id`,
    [options.tenant, options.signature],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    version: r.version,
    action: r.action,
    guideline: r.guideline,
    patternId: r.pattern_id,
    patternKey: r.key,
    patternDescription: r.description,
    confidence: r.confidence,
  }));
}
