import { describe, it, expect } from "vitest";
import pg from "pg";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { readMigrations } from "../../src/db/migrator.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "../support/temp-dir.js";
import { runCli } from "../support/cli.js";

describe("two processes migrating one empty database at once", () => {
  it("apply each migration exactly once", async () => {
    const tmp = makeTempDir();
    const server = await startEmbeddedPostgres({ dataDir: tmp.dir, logger: silentLogger });
    try {
      const env = { DATABASE_URL: server.url, META_AGENT_DATA_DIR: `${tmp.dir}/unused`, LOG_LEVEL: "warn" };
      const [a, b] = await Promise.all([runCli(["db", "migrate", "--json"], env), runCli(["db", "migrate", "--json"], env)]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const applied = [...JSON.parse(a.stdout).applied, ...JSON.parse(b.stdout).applied].sort();
      const names = readMigrations().map((m) => m.name);
      expect(applied).toEqual(names);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const rows = await client.query(`SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1`);
      await client.end();
      expect(rows.rows).toEqual(names.map((migration_name) => ({ migration_name, n: 1 })));
    } finally {
      await server.close();
      tmp.remove();
    }
  });
});
