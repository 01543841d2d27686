// A tripwire for row-level security: the service's own database connection (`db.pool`,
// `db.prisma` of the Database that openDatabase returns) bypasses the tenant policies, so only
// system work may use it. A file that reaches `.pool` or `.prisma` of a database handle must either
// scope it to a tenant first (`db.forTenant(tenant)`) or be listed here as system work, with why.
// New code that forgets the scope fails this test and has to make the choice explicitly.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

/** Files that use the owner's connection on purpose, and why. */
const SYSTEM_WORK: Record<string, string> = {
  "tenancy/authenticate-api-key.ts": "finds a key by its prefix before any tenant is known",
  "tenancy/create-api-key.ts": "the operator creates keys (api_keys is system-only)",
  "tenancy/revoke-api-key.ts": "the operator revokes keys (and ends their dashboard sessions)",
  "tenancy/authenticate-ui-session.ts": "finds a dashboard session by its token's hash before any tenant is known",
  "tenancy/create-ui-session.ts": "stores the session of a key just authenticated at sign-in (beside authenticateApiKey's lookup)",
  "tenancy/end-ui-session.ts": "sign-out deletes the session of a token, found by its hash like at sign-in",
  "tenancy/purge-expired-ui-sessions.ts": "deletes every tenant's expired dashboard sessions at sign-in",
  "tenancy/list-api-keys.ts": "the operator lists keys; the service asks whether any key exists",
  "tenancy/ensure-bootstrap-key.ts": "stores the deployment's first key on start",
  "tenancy/ensure-tenant.ts": "creates a tenant row for a new key",
  "tenancy/list-tenant-ids.ts": "lists the tenants a scheduled run learns for",
  "memory/cache-maintenance.ts": "the hourly sweep of every tenant's expired cache entries (a tenant's own prune is scoped)",
  "memory/reembed-vectors.ts": "finds which tenants hold vectors of an old model (each conversion is scoped)",
  "db/database.ts": "builds the tenant scopes",
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "generated" ? [] : sources(p);
    return p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

const RAW = /\b(?:db|deps\.db|ctx\.db|this\.db)\.(?:pool|prisma)\b/;

describe("tenant scope of database access", () => {
  const files = sources(SRC).map((f) => ({ rel: path.relative(SRC, f).split(path.sep).join("/"), text: readFileSync(f, "utf8") }));

  it("uses the owner's connection only where the file scopes to a tenant first or is listed as system work", () => {
    const unscoped = files.filter((f) => RAW.test(f.text) && !f.text.includes("forTenant(") && !(f.rel in SYSTEM_WORK)).map((f) => f.rel);
    expect(unscoped).toEqual([]);
  });

  it("lists no system-work file that no longer uses the owner's connection", () => {
    const stale = Object.keys(SYSTEM_WORK).filter((rel) => !files.some((f) => f.rel === rel && RAW.test(f.text)));
    expect(stale).toEqual([]);
  });
});
