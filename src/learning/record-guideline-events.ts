// Guideline history: which guideline a promoted version added or removed, and the pattern
// behind it (`meta-agent guidelines <name>`).
import { randomUUID } from "node:crypto";
import type { Database } from "../db/database.js";
import type { Guideline } from "../domain/compiled-version.js";

export interface GuidelineChange {
  action: "added" | "removed";
  guideline: Guideline;
}

/** Guidelines in `after` but not `before` (added) and the reverse (removed), by text. */
export function diffGuidelines(before: Guideline[], after: Guideline[]): GuidelineChange[] {
  const had = new Set(before.map((g) => g.text));
  const has = new Set(after.map((g) => g.text));
  return [
    ...after.filter((g) => !had.has(g.text)).map((guideline) => ({ action: "added" as const, guideline })),
    ...before.filter((g) => !has.has(g.text)).map((guideline) => ({ action: "removed" as const, guideline })),
  ];
}

/** Stores the changes a new version made; returns how many events were written. */
export async function recordGuidelineEvents(db: Database, input: { tenant: string; signature: string; version: string; changes: GuidelineChange[] }): Promise<number> {
  db = db.forTenant(input.tenant);
  if (input.changes.length === 0) return 0;
  await db.prisma.guidelineEvent.createMany({
    data: input.changes.map((c) => ({
      id: randomUUID(),
      tenantId: input.tenant,
      signature: input.signature,
      version: input.version,
      action: c.action,
      guideline: c.guideline.text,
      patternId: c.guideline.patternId ?? null,
      confidence: c.guideline.confidence ?? null,
    })),
  });
  return input.changes.length;
}
