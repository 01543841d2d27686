// The bootstrap API key of a deployment: stored on start for its tenant when absent, never twice,
// never brought back once revoked; a malformed key or an unreadable secret file stops the start.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { captureLogger } from "../support/log-capture.js";
import { ensureBootstrapKey } from "../../src/tenancy/ensure-bootstrap-key.js";
import { authenticateApiKey } from "../../src/tenancy/authenticate-api-key.js";
import { generateApiKey } from "../../src/tenancy/api-key.js";
import { revokeApiKey } from "../../src/tenancy/revoke-api-key.js";
import { ConfigError } from "../../src/errors.js";

describe("the bootstrap API key", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it("is stored once for its tenant and then authenticates", async () => {
    const { key } = generateApiKey();
    const log = captureLogger();
    expect(await ensureBootstrapKey(t.db, { key, tenant: "acme" }, log.logger)).toBe("created");
    expect(await ensureBootstrapKey(t.db, { key, tenant: "acme" }, log.logger)).toBe("present");
    expect(await authenticateApiKey(t.db, key)).toMatchObject({ tenant: "acme" });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n, min(name) AS name FROM api_keys WHERE tenant_id = 'acme'`);
    expect(rows[0]).toEqual({ n: 1, name: "bootstrap" });
  });

  it("reads the key from a secret file", async () => {
    const { key } = generateApiKey();
    const file = path.join(t.dataDir, "secret");
    writeFileSync(file, `${key}\n`);
    expect(await ensureBootstrapKey(t.db, { keyFile: file, tenant: "default" }, captureLogger().logger)).toBe("created");
    expect(await authenticateApiKey(t.db, key)).toMatchObject({ tenant: "default" });
  });

  it("stays revoked once revoked, with a warning", async () => {
    const { key } = generateApiKey();
    const log = captureLogger();
    await ensureBootstrapKey(t.db, { key, tenant: "globex" }, log.logger);
    const { rows } = await t.db.pool.query<{ id: string }>(`SELECT id FROM api_keys WHERE tenant_id = 'globex'`);
    await revokeApiKey(t.db, rows[0]!.id);
    expect(await ensureBootstrapKey(t.db, { key, tenant: "globex" }, log.logger)).toBe("revoked");
    expect(await authenticateApiKey(t.db, key)).toBeUndefined();
    expect(log.events("bootstrap-key-revoked")).toHaveLength(1);
  });

  it("refuses a malformed key and an unreadable file before anything is stored", async () => {
    await expect(ensureBootstrapKey(t.db, { key: "secret123", tenant: "x" }, captureLogger().logger)).rejects.toBeInstanceOf(ConfigError);
    await expect(ensureBootstrapKey(t.db, { keyFile: "/nonexistent/secret", tenant: "x" }, captureLogger().logger)).rejects.toThrow(/cannot read \/nonexistent\/secret/);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = 'x'`);
    expect(rows[0].n).toBe(0);
  });
});
