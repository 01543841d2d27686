// Fault: the database goes away under a running service (DATABASE_URL pointing at an embedded
// Postgres server that we stop and restart on the same port). The service must say so (readyz
// 503, ingest 503 + Retry-After), keep running, and the SDK must deliver what it holds once the
// database is back — every trace exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { loadConfig } from "../../src/config/index.js";
import { startService, type Service } from "../../src/main.js";
import { MetaAgentClient } from "../../src/collector/sdk/meta-agent-client.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeTrace } from "../support/trace-builder.js";
import { waitFor } from "../support/wait-for.js";

describe("database unavailable under a running service", () => {
  const tmp = makeTempDir();
  const dbDir = path.join(tmp.dir, "db");
  let dbServer: EmbeddedPostgres;
  let port: number;
  let service: Service;

  beforeAll(async () => {
    dbServer = await startEmbeddedPostgres({ dataDir: dbDir, logger: silentLogger });
    port = dbServer.port;
    const config = loadConfig({
      env: { DATABASE_URL: dbServer.url, META_AGENT_DATA_DIR: path.join(tmp.dir, "data"), PORT: "0", PROMPTS_REPO_DIR: tmp.dir, META_AGENT_VERSIONS_DIR: path.join(tmp.dir, "versions") },
      cwd: tmp.dir,
    });
    service = await startService(config, silentLogger);
  });
  afterAll(async () => {
    await service?.close();
    await dbServer?.close();
    tmp.remove();
  });

  const postTraces = (traces: unknown[]) => fetch(`${service.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces }) });

  it("answers readyz 503 and ingest 503 with Retry-After while the database is down; the SDK delivers every trace exactly once after recovery", async () => {
    const client = new MetaAgentClient({ url: service.url, batchSize: 5, flushIntervalMs: 50, initialBackoffMs: 50, maxBackoffMs: 300, maxRetries: 1_000, handleExit: false, logger: silentLogger });
    const before = Array.from({ length: 5 }, () => makeTrace());
    for (const t of before) client.send(t);
    await client.flush();
    expect(client.stats).toMatchObject({ sent: 5, dropped: 0, rejected: 0 });

    await dbServer.close();

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "database_unavailable" });

    const direct = await postTraces([makeTrace()]);
    expect(direct.status).toBe(503);
    expect(Number(direct.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await direct.json()).toMatchObject({ error: { code: "database_unavailable" } });
    // Reads fail the same way, not with a 500.
    const list = await fetch(`${service.url}/v1/traces`);
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).not.toBeNull();

    const during = Array.from({ length: 12 }, () => makeTrace());
    for (const t of during) client.send(t);
    await waitFor(() => client.stats.retries >= 2, { what: "the SDK to retry" });
    expect(client.stats.sent).toBe(5);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    dbServer = await startEmbeddedPostgres({ dataDir: dbDir, port, logger: silentLogger });
    await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, { timeoutMs: 20_000, what: "readyz 200 after recovery" });
    await client.flush();
    expect(client.stats).toMatchObject({ sent: 17, dropped: 0, rejected: 0, queued: 0 });
    await client.close();

    const db = new pg.Client({ connectionString: dbServer.url });
    await db.connect();
    try {
      const ids = [...before, ...during].map((t) => t.id);
      const rows = await db.query<{ id: string; steps: number }>(
        "SELECT t.id, (SELECT count(*)::int FROM trace_steps s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id) AS steps FROM traces t WHERE t.id = ANY($1::text[])",
        [ids],
      );
      expect(rows.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(rows.rows.every((r) => r.steps === 4)).toBe(true);
    } finally {
      await db.end();
    }
  });
});
