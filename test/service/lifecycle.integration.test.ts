import { describe, it, expect, afterAll } from "vitest";
import pg from "pg";
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { startServe, runCli } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";

describe("meta-agent serve on the embedded database", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir, LOG_LEVEL: "warn" };
  afterAll(() => tmp.remove());

  it("starts on an empty data dir (creates and migrates the database), answers /readyz, and exits 0 within 5 s of SIGTERM", async () => {
    // With nothing set, as on a fresh machine: the product's default embedder, not the tests' pin.
    const serve = await startServe(env, { emptyDatabase: true, productEmbedder: true });
    const ready = await fetch(`${serve.url}/readyz`);
    expect(ready.status).toBe(200);
    // The local sentence encoder is the default embedder; it loads in the background.
    expect(await ready.json()).toMatchObject({ status: "ready", embedder: { configured: "local", model: "use-lite-512", state: expect.stringMatching(/^(loading|ready)$/) } });
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    const state = JSON.parse(readFileSync(path.join(tmp.dir, "state.json"), "utf8"));
    expect(state).toMatchObject({ pid: serve.child.pid, url: serve.url, databaseMode: "embedded" });
    const { code, ms } = await serve.stop("SIGTERM");
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    expect(existsSync(path.join(tmp.dir, "state.json"))).toBe(false);
    expect(existsSync(path.join(tmp.dir, "embedded-db.lock"))).toBe(false);
  });

  it("answers 50 concurrent requests that all reach the database", async () => {
    const serve = await startServe(env);
    try {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${serve.url}/readyz`).then((r) => r.status)));
      expect(statuses).toEqual(Array(50).fill(200));
    } finally {
      await serve.stop();
    }
  });

  it("keeps data across a restart", async () => {
    const first = await startServe(env);
    const lock = JSON.parse(readFileSync(path.join(tmp.dir, "embedded-db.lock"), "utf8"));
    const client = new pg.Client({ connectionString: lock.databaseUrl });
    await client.connect();
    await client.query(`INSERT INTO tenants (id, name) VALUES ('persisted', 'survives restarts')`);
    await client.end();
    expect((await first.stop()).code).toBe(0);

    const second = await startServe(env);
    try {
      const lock2 = JSON.parse(readFileSync(path.join(tmp.dir, "embedded-db.lock"), "utf8"));
      const c2 = new pg.Client({ connectionString: lock2.databaseUrl });
      await c2.connect();
      const rows = await c2.query(`SELECT name FROM tenants WHERE id = 'persisted'`);
      await c2.end();
      expect(rows.rows).toEqual([{ name: "survives restarts" }]);
    } finally {
      await second.stop();
    }
  });

  it("refuses a second instance on the same data dir with a clear error, while the CLI attaches to the first", async () => {
    const first = await startServe(env);
    try {
      await expect(startServe(env, { timeoutMs: 20_000 })).rejects.toThrow(/in use by process \d+/);
      const migrate = await runCli(["db", "migrate", "--json"], env);
      expect(migrate.code).toBe(0);
      expect(JSON.parse(migrate.stdout)).toMatchObject({ mode: "attached", applied: [] });
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it("stops with a message naming the key when configuration is invalid", async () => {
    const result = await runCli(["serve"], { ...env, PORT: "not-a-port" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: expected an integer between 0 and 65535/);
  });
});
