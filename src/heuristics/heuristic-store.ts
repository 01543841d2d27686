// The `heuristics` table (owned here): one row per lesson per tenant, keyed by its normalized
// text, so the same lesson learnt on two agents is stored once with both in its scope.
import { createHash } from "node:crypto";
import type { Database } from "../db/database.js";
import { heuristicContent, heuristicKey, HeuristicSchema, type Heuristic, type HeuristicEvidence, type HeuristicScope, type HeuristicSource } from "../domain/heuristic.js";
import { hashContent } from "../domain/version-sources.js";

type Db = Pick<Database, "forTenant">;

export interface NewHeuristic {
  text: string;
  sourceKind: "pattern" | "reflection";
  source: HeuristicSource;
  scope: HeuristicScope;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
const idOf = (tenant: string, key: string) => `h-${createHash("sha256").update(`${tenant}\n${key}`).digest("hex").slice(0, 16)}`;

type Row = Awaited<ReturnType<ReturnType<Db["forTenant"]>["prisma"]["heuristic"]["findFirstOrThrow"]>>;
const toHeuristic = (r: Row): Heuristic =>
  HeuristicSchema.parse({
    id: r.id,
    key: r.key,
    text: r.text,
    sourceKind: r.sourceKind,
    source: r.source,
    scope: r.scope,
    qValue: r.qValue,
    uses: r.uses,
    status: r.status,
    evidence: r.evidence,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    retiredAt: r.retiredAt?.toISOString() ?? null,
  });

/**
 * Adds a lesson, or widens the scope of the stored one with the same text (its Q-value and
 * source stay). Returns it and whether it was new.
 */
export async function addHeuristic(db: Db, tenant: string, h: NewHeuristic, initialQ: number): Promise<{ heuristic: Heuristic; created: boolean }> {
  const prisma = db.forTenant(tenant).prisma;
  const key = heuristicKey(h.text);
  const existing = await prisma.heuristic.findFirst({ where: { tenantId: tenant, key } });
  if (!existing) {
    const row = await prisma.heuristic.create({ data: { id: idOf(tenant, key), tenantId: tenant, key, text: h.text.trim(), sourceKind: h.sourceKind, source: h.source as object, scope: h.scope as object, qValue: initialQ } });
    return { heuristic: toHeuristic(row), created: true };
  }
  const current = toHeuristic(existing);
  const scope: HeuristicScope = { agents: union(current.scope.agents, h.scope.agents), tasks: union(current.scope.tasks, h.scope.tasks), tools: union(current.scope.tools, h.scope.tools) };
  if (JSON.stringify(scope) === JSON.stringify(current.scope)) return { heuristic: current, created: false };
  const row = await prisma.heuristic.update({ where: { id: existing.id }, data: { scope: scope as object, updatedAt: new Date() } });
  return { heuristic: toHeuristic(row), created: false };
}

/** The tenant's heuristics, highest Q-value first. */
export async function listHeuristics(db: Db, tenant: string, options: { status?: "active" | "retired" } = {}): Promise<Heuristic[]> {
  const prisma = db.forTenant(tenant).prisma;
  const rows = await prisma.heuristic.findMany({ where: { tenantId: tenant, ...(options.status ? { status: options.status } : {}) }, orderBy: [{ qValue: "desc" }, { id: "asc" }] });
  return rows.map(toHeuristic);
}

export interface ValueUpdate {
  id: string;
  qValue: number;
  uses: number;
  rewardSum: number;
  evidence: HeuristicEvidence;
  retire: boolean;
}

/** Writes learnt values; a heuristic marked `retire` becomes retired (and stays so). */
export async function saveValues(db: Db, tenant: string, updates: readonly ValueUpdate[]): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  const now = new Date();
  for (const u of updates) {
    await prisma.heuristic.updateMany({
      where: { tenantId: tenant, id: u.id },
      data: { qValue: u.qValue, uses: u.uses, rewardSum: u.rewardSum, evidence: u.evidence as object, updatedAt: now, ...(u.retire ? { status: "retired", retiredAt: now } : {}) },
    });
  }
}

/** Content hash of each heuristic among `ids` (text, source, scope — not its Q-value), for provenance. */
export async function hashHeuristics(db: Db, tenant: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const prisma = db.forTenant(tenant).prisma;
  const rows = await prisma.heuristic.findMany({ where: { tenantId: tenant, id: { in: [...ids] } } });
  // Hashed from the raw row, so an edit that no longer fits the schema still shows as a change.
  return new Map(rows.map((r) => [r.id, hashContent(heuristicContent({ id: r.id, text: r.text, sourceKind: r.sourceKind as Heuristic["sourceKind"], source: r.source as HeuristicSource, scope: r.scope as HeuristicScope }))]));
}
