// The Postgres mirror of versions (`prompt_versions`), tenant-scoped: lets the API list history
// and traces reference the version they ran with, without reading git.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../db/prisma.js";
import type { Database } from "../db/database.js";

/** The database the mirror is read and written through: always in the tenant's scope. */
export type TenantScoper = Pick<Database, "forTenant">;
import type { CompiledVersion } from "../domain/compiled-version.js";

/**
 * active: the one version the serving branch holds (exactly one per signature); proposed: on a
 * review branch not merged yet; superseded: was served, replaced by a later version;
 * rolled_back: replaced by a rollback; rejected: refused by the gate; canary: served to a share of
 * traffic by a running canary; candidate: legacy rows
 * (read as proposed).
 */
export const VERSION_STATUSES = ["proposed", "active", "superseded", "rejected", "rolled_back", "canary", "candidate"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** What the `summary` JSON column holds. */
export const MirrorSummarySchema = z.object({
  text: z.string().default(""),
  tag: z.string().optional(),
  scoreCi: z.tuple([z.number(), z.number()]).optional(),
  parentScoreCi: z.tuple([z.number(), z.number()]).optional(),
  llmCalls: z.number().optional(),
  tokens: z.number().optional(),
  rollbackOf: z.string().optional(),
  /** Imported from git by the mirror sync: compiled elsewhere, its sources recorded in that database. */
  imported: z.boolean().optional(),
  reason: z.string().optional(),
  patterns: z.array(z.object({ id: z.string().optional(), key: z.string().optional(), confidence: z.number().optional(), exampleTraceIds: z.array(z.string()) })).optional(),
  pullRequest: z.object({ file: z.string(), url: z.string().optional() }).optional(),
  /** A version that went through a canary: its id, the decision and its evidence. */
  canary: z.record(z.string(), z.unknown()).optional(),
});
export type MirrorSummary = z.infer<typeof MirrorSummarySchema>;

export interface MirrorRow {
  name: string;
  version: string;
  parent: string | null;
  commitSha: string | null;
  branch: string | null;
  contentHash: string;
  content: string;
  status: VersionStatus;
  score: number | null;
  parentScore: number | null;
  summary: MirrorSummary;
  createdAt: Date;
  promotedAt: Date | null;
  /** Merkle root over what the version was built from, recorded here (null: compiled before provenance, hand-written, or imported from git). */
  merkleRoot: string | null;
}

export const contentHash = (content: string) => createHash("sha256").update(content).digest("hex");

export interface MirrorWrite {
  version: CompiledVersion;
  content: string;
  status: VersionStatus;
  commitSha?: string;
  branch?: string;
  summary: MirrorSummary;
}

/** Inserts or replaces the row of (tenant, name, version). */
export async function upsertMirror(db: TenantScoper, tenant: string, w: MirrorWrite): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  const e = w.version.evaluation;
  const data = {
    parent: w.version.parent,
    commitSha: w.commitSha ?? null,
    branch: w.branch ?? null,
    contentHash: contentHash(w.content),
    content: w.content,
    status: w.status,
    score: e?.score?.mean ?? null,
    parentScore: e?.parentScore?.mean ?? null,
    summary: w.summary as object,
    promotedAt: w.status === "active" ? new Date() : null,
    // An imported version's root is in its file; this database recorded none of its sources.
    merkleRoot: w.summary.imported ? null : (w.version.provenance.sourcesRoot ?? null),
  };
  await prisma.promptVersion.upsert({
    where: { tenantId_name_version: { tenantId: tenant, name: w.version.name, version: w.version.version } },
    create: { id: randomUUID(), tenantId: tenant, name: w.version.name, version: w.version.version, ...data },
    update: data,
  });
}

/** Sets the status of one version (no-op when the row does not exist). */
export async function setMirrorStatus(db: TenantScoper, tenant: string, name: string, version: string, status: VersionStatus): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  await prisma.promptVersion.updateMany({
    where: { tenantId: tenant, name, version },
    data: { status, ...(status === "active" ? { promotedAt: new Date() } : {}) },
  });
}

/**
 * Marks `version` as the one served: active, and every other active row of the signature
 * superseded (a rolled-back one keeps its status). Exactly one row is active afterwards.
 */
export async function markServed(db: TenantScoper, tenant: string, name: string, version: string): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  await prisma.promptVersion.updateMany({ where: { tenantId: tenant, name, status: "active", NOT: { version } }, data: { status: "superseded" } });
  const row = await getMirror(db, tenant, name, version);
  if (row && row.status !== "active") await setMirrorStatus(db, tenant, name, version, "active");
}

/** Merges fields into a row's summary JSON. */
export async function mergeMirrorSummary(db: TenantScoper, tenant: string, name: string, version: string, patch: Partial<MirrorSummary>): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  const row = await getMirror(db, tenant, name, version);
  if (!row) return;
  await prisma.promptVersion.updateMany({ where: { tenantId: tenant, name, version }, data: { summary: { ...row.summary, ...patch } as object } });
}

type DbRow = Awaited<ReturnType<PrismaClient["promptVersion"]["findFirstOrThrow"]>>;

function toRow(r: DbRow): MirrorRow {
  const summary = MirrorSummarySchema.safeParse(r.summary);
  return {
    name: r.name,
    version: r.version,
    parent: r.parent,
    commitSha: r.commitSha,
    branch: r.branch,
    contentHash: r.contentHash,
    content: r.content,
    status: r.status === "candidate" ? "proposed" : (VERSION_STATUSES as readonly string[]).includes(r.status) ? (r.status as VersionStatus) : "proposed",
    score: r.score,
    parentScore: r.parentScore,
    summary: summary.success ? summary.data : { text: "" },
    createdAt: r.createdAt,
    promotedAt: r.promotedAt,
    merkleRoot: r.merkleRoot,
  };
}

/** Every mirrored version of a signature (unordered; callers sort by version). */
export async function listMirror(db: TenantScoper, tenant: string, name: string): Promise<MirrorRow[]> {
  const prisma = db.forTenant(tenant).prisma;
  return (await prisma.promptVersion.findMany({ where: { tenantId: tenant, name } })).map(toRow);
}

export async function getMirror(db: TenantScoper, tenant: string, name: string, version: string): Promise<MirrorRow | undefined> {
  const prisma = db.forTenant(tenant).prisma;
  const r = await prisma.promptVersion.findFirst({ where: { tenantId: tenant, name, version } });
  return r ? toRow(r) : undefined;
}

/** Signature names with at least one mirrored version. */
export async function listMirroredNames(db: TenantScoper, tenant: string): Promise<string[]> {
  const prisma = db.forTenant(tenant).prisma;
  const rows = await prisma.promptVersion.findMany({ where: { tenantId: tenant }, select: { name: true }, distinct: ["name"], orderBy: { name: "asc" } });
  return rows.map((r) => r.name);
}

/** Versions that were served (active or rolled back), by signature name and then by when they were promoted (else created). */
export async function listServedHistory(db: TenantScoper, tenant: string): Promise<MirrorRow[]> {
  const prisma = db.forTenant(tenant).prisma;
  // Served ones (active, superseded, rolled back) and review versions not merged yet (proposed).
  const rows = (await prisma.promptVersion.findMany({ where: { tenantId: tenant, status: { in: ["active", "superseded", "rolled_back", "proposed", "candidate"] } } })).map(toRow);
  const at = (r: MirrorRow) => (r.promotedAt ?? r.createdAt).getTime();
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : at(a) - at(b)));
}
