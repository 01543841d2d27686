// The leaves of each version's provenance tree (`version_sources`), tenant-scoped: written with
// the version's mirror row when it is recorded, read back by verification.
import { sortSources, VersionSourceSchema, type VersionSource } from "../domain/version-sources.js";
import type { TenantScoper } from "./version-mirror.js";

/** Replaces the sources of (tenant, name, version) with `sources`, stored in canonical order. */
export async function saveVersionSources(db: TenantScoper, tenant: string, name: string, version: string, sources: readonly VersionSource[]): Promise<void> {
  const prisma = db.forTenant(tenant).prisma;
  const rows = sortSources(sources).map((s, position) => ({ tenantId: tenant, name, version, position, kind: s.kind, itemId: s.id, hash: s.hash }));
  await prisma.$transaction([
    prisma.versionSource.deleteMany({ where: { tenantId: tenant, name, version } }),
    prisma.versionSource.createMany({ data: rows }),
  ]);
}

/** The recorded sources of a version in tree order; rows that no longer parse are returned as they are (verification flags them). */
export async function loadVersionSources(db: TenantScoper, tenant: string, name: string, version: string): Promise<VersionSource[]> {
  const prisma = db.forTenant(tenant).prisma;
  const rows = await prisma.versionSource.findMany({ where: { tenantId: tenant, name, version }, orderBy: { position: "asc" } });
  return rows.map((r) => {
    const parsed = VersionSourceSchema.safeParse({ kind: r.kind, id: r.itemId, hash: r.hash });
    return parsed.success ? parsed.data : ({ kind: r.kind, id: r.itemId, hash: r.hash } as VersionSource);
  });
}
