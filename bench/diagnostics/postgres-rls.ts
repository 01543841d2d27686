// Diagnostic for row-level security on a PostgreSQL server (CI has only the embedded database,
// where the service's login is a superuser): applies the migrations as the service would, then
// checks that the tenant role and policies hold for a non-superuser login that owns the tables —
// the production shape — and exits 1 if one check fails.
//   DATABASE_URL=postgresql://svc:…@host/db npx tsx bench/diagnostics/postgres-rls.ts [--without-pgvector]
// The login must own the database (or schema) and have CREATEROLE (or an administrator creates
// meta_agent_app and grants it to the login first, docs/security.md). A server without the
// pgvector extension needs --without-pgvector: vector columns become bytea and vector indexes are
// skipped, which changes nothing the policies depend on.
import pg from "pg";
import { readMigrations } from "../../src/db/migrator.js";
import { TENANT_ROLE, tenantPool } from "../../src/db/tenant-scope.js";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to a PostgreSQL database owned by a non-superuser login.");
  process.exit(2);
}
const withoutVector = process.argv.includes("--without-pgvector");
const pool = new pg.Pool({ connectionString: url, max: 5 });
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

/** The migration as a server without pgvector can run it. */
function adapt(sql: string): string {
  if (!withoutVector) return sql;
  return sql
    .replace(/CREATE EXTENSION[^;]*;/gi, "")
    .replace(/CREATE (UNIQUE )?INDEX[^;]*(hnsw|vector_cosine_ops)[^;]*;/gi, "")
    .replace(/"embedding" vector(\(\d+\))?/g, '"embedding" bytea');
}

try {
  const me = (await pool.query<{ user: string; super: boolean }>(`SELECT current_user AS user, rolsuper AS super FROM pg_roles WHERE rolname = current_user`)).rows[0]!;
  check(!me.super, `the login ${me.user} is not a superuser`);
  await pool.query(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public`);
  for (const m of readMigrations()) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(adapt(m.sql));
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw new Error(`${m.name}: ${(e as Error).message}`);
    } finally {
      client.release();
    }
  }
  check(true, "every migration applies as the non-superuser owner");
  const role = (await pool.query(`SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`, [TENANT_ROLE])).rows[0];
  check(role && !role.rolsuper && !role.rolbypassrls && !role.rolcanlogin, `${TENANT_ROLE} exists: no login, no superuser, no BYPASSRLS`);
  check((await pool.query(`SELECT pg_has_role(current_user, $1, 'MEMBER') AS ok`, [TENANT_ROLE])).rows[0].ok, `the login may SET ROLE ${TENANT_ROLE}`);

  await pool.query(`INSERT INTO tenants (id, name) VALUES ('acme', 'acme'), ('globex', 'globex')`);
  await pool.query(
    `INSERT INTO traces (tenant_id, id, agent, started_at, content_hash) VALUES ('acme', 'a-1', 'x', now(), 'h'), ('acme', 'a-2', 'x', now(), 'h'), ('globex', 'g-1', 'x', now(), 'h')`,
  );
  const acme = tenantPool(pool, "acme");
  check((await acme.query(`SELECT count(*)::int AS n FROM traces`)).rows[0].n === 2, "an unfiltered query in acme's scope sees only acme's 2 traces");
  check((await tenantPool(pool, "initech").query(`SELECT count(*)::int AS n FROM traces`)).rows[0].n === 0, "a tenant without rows sees none");
  const refused = await acme.query(`INSERT INTO traces (tenant_id, id, agent, started_at, content_hash) VALUES ('globex', 'x', 'x', now(), 'h')`).then(() => false, (e: Error) => /row-level security/.test(e.message));
  check(refused, "acme's scope cannot write a globex row");
  const keys = await acme.query(`SELECT * FROM api_keys`).then(() => false, (e: Error) => /permission denied/.test(e.message));
  check(keys, "a tenant scope cannot read api_keys");
  const after = (await pool.query(`SELECT current_user AS u, coalesce(current_setting('meta_agent.tenant', true), '') AS t`)).rows[0];
  check(after.u === me.user && after.t === "", "the owner's connection is itself again after a scoped transaction");
  check((await pool.query(`SELECT count(*)::int AS n FROM traces`)).rows[0].n === 3, "the owner (system work) still sees every tenant");
} catch (e) {
  failures.push((e as Error).message);
  console.error((e as Error).message);
} finally {
  await pool.end();
}
if (failures.length > 0) process.exit(1);
console.log("row-level security holds on this server");
