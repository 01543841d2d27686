// `meta-agent cache stats|prune|clear` as a user runs them, against a running service's database.
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { runCli, startServe } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("meta-agent cache", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir, LOG_LEVEL: "warn" };
  afterAll(() => tmp.remove());

  it("shows, prunes and clears the semantic cache", async () => {
    const serve = await startServe(env);
    const { databaseUrl } = JSON.parse(readFileSync(path.join(tmp.dir, "embedded-db.lock"), "utf8")) as { databaseUrl: string };
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await db.query(`INSERT INTO tenants (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING`);
      const entries: Array<[string, string, string, string | null]> = [
        ["e1", "triage", "1.0.0", null],
        ["e2", "triage", "1.0.0", "2000-01-01T00:00:00Z"],
        ["e3", "triage", "1.1.0", null],
        ["e4", "summarize", "1.0.0", null],
      ];
      for (const [id, signature, version, expiresAt] of entries) {
        await db.query(
          `INSERT INTO cache_entries (id, tenant_id, signature, version, input_hash, input_text, output, model, dim, expires_at) VALUES ($1, 'default', $2, $3, $1, 'q', '{}', 'hash-384', 384, $4)`,
          [id, signature, version, expiresAt],
        );
      }

      const stats = await runCli(["cache", "stats", "--json"], env);
      expect(stats.code, stats.stderr).toBe(0);
      expect((JSON.parse(stats.stdout) as Array<{ signature: string; version: string; live: number; expired: number }>).map((r) => [r.signature, r.version, r.live, r.expired])).toEqual([
        ["summarize", "1.0.0", 1, 0],
        ["triage", "1.0.0", 1, 1],
        ["triage", "1.1.0", 1, 0],
      ]);
      const table = await runCli(["cache", "stats"], env);
      expect(table.stdout).toMatch(/signature\s+version\s+live\s+expired/);

      const unpaired = await runCli(["cache", "prune", "--signature", "triage"], env);
      expect(unpaired.code).toBe(1);
      expect(unpaired.stderr).toContain("--signature and --keep-version go together");

      const pruned = await runCli(["cache", "prune", "--signature", "triage", "--keep-version", "1.1.0"], env);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(pruned.stdout).toContain("Deleted 1 expired entry and 1 of triage's versions other than 1.1.0.");

      const cleared = await runCli(["cache", "clear", "--signature", "summarize", "--json"], env);
      expect(JSON.parse(cleared.stdout)).toEqual({ deleted: 1 });
      const left = await db.query<{ id: string }>(`SELECT id FROM cache_entries ORDER BY id`);
      expect(left.rows).toEqual([{ id: "e3" }]);

      const empty = await runCli(["cache", "clear"], env);
      expect(empty.stdout).toContain("Deleted 1 entry from tenant default's semantic cache.");
      expect((await runCli(["cache", "stats"], env)).stdout).toContain("The semantic cache holds no entries for tenant default.");
    } finally {
      await db.end();
      await serve.stop();
    }
  });
});
