import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { actualShape, declaredShape, diffShapes } from "../support/schema-drift.js";

const SCHEMA = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

describe("schema.prisma and prisma/migrations", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.close());

  it("describe the same database (tables, columns, keys, indexes, foreign keys)", async () => {
    const declared = declaredShape(SCHEMA);
    expect(declared.columns.length).toBeGreaterThan(50);
    expect(diffShapes(declared, await actualShape(t.db.pool))).toEqual([]);
  });

  it("report a difference when the database drifts from the schema", async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`ALTER TABLE "tenants" ADD COLUMN "plan" TEXT; ALTER TABLE "traces" ALTER COLUMN "agent" DROP NOT NULL; DROP INDEX "patterns_tenant_id_agent_type_idx"`);
      const diff = diffShapes(declaredShape(SCHEMA), await actualShape(client));
      await client.query("ROLLBACK");
      expect(diff).toContain("columns: in migrations, not in schema.prisma: tenants.plan text null");
      expect(diff).toContain("columns: in schema.prisma, not in migrations: traces.agent text not null");
      expect(diff).toContain("indexes: in schema.prisma, not in migrations: patterns index (tenant_id,agent,type)");
    } finally {
      client.release();
    }
  });
});
