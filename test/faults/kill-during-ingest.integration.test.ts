// Fault: `kill -9` of the service while clients are ingesting. After a restart on the same data
// dir every acknowledged trace must be there, and no trace may be half-written (a trace row with
// only some of its steps).
import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startServe } from "../support/cli.js";
import { makeTempDir } from "../support/temp-dir.js";
import { makeTrace } from "../support/trace-builder.js";
import { waitFor } from "../support/wait-for.js";

const STEPS_PER_TRACE = 4; // makeTrace's default steps

describe("kill -9 of the service during ingest", () => {
  const tmp = makeTempDir();
  const env = { META_AGENT_DATA_DIR: tmp.dir, LOG_LEVEL: "warn" };
  afterAll(() => tmp.remove());

  it("keeps every acknowledged trace and never leaves one half-written", async () => {
    const serve = await startServe(env, { cwd: tmp.dir });
    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    let killed = false;
    // Four clients post 20-trace batches until the process dies under them.
    const client = async (c: number) => {
      for (let b = 0; !killed; b++) {
        const traces = Array.from({ length: 20 }, (_, i) => makeTrace({ id: `kill-${c}-${b}-${i}` }));
        for (const t of traces) sent.add(t.id);
        try {
          const res = await fetch(`${serve.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces }) });
          if (res.status !== 200) continue;
          const body = (await res.json()) as { results: { id: string; status: string }[] };
          for (const r of body.results) if (r.status === "created" || r.status === "updated" || r.status === "unchanged") acknowledged.add(r.id);
        } catch {
          return; // connection reset by the kill: nothing from this batch was acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await waitFor(() => acknowledged.size >= 100, { timeoutMs: 30_000, what: "100 acknowledged traces" });
    const { code } = await serve.stop("SIGKILL");
    killed = true;
    await Promise.all(clients);
    expect(code).toBeNull(); // killed, not exited

    const restarted = await startServe(env, { cwd: tmp.dir });
    try {
      const lock = JSON.parse(readFileSync(path.join(tmp.dir, "embedded-db.lock"), "utf8")) as { databaseUrl: string };
      const db = new pg.Client({ connectionString: lock.databaseUrl });
      await db.connect();
      try {
        const rows = await db.query<{ id: string; steps: number }>(
          "SELECT t.id, (SELECT count(*)::int FROM trace_steps s WHERE s.tenant_id = t.tenant_id AND s.trace_id = t.id) AS steps FROM traces t WHERE t.id LIKE 'kill-%'",
        );
        const stored = new Map(rows.rows.map((r) => [r.id, r.steps]));
        const missing = [...acknowledged].filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        const halfWritten = rows.rows.filter((r) => r.steps !== STEPS_PER_TRACE);
        expect(halfWritten).toEqual([]);
        // Whatever was stored was sent by us (sanity: the query looks at the right rows).
        expect([...stored.keys()].every((id) => sent.has(id))).toBe(true);
      } finally {
        await db.end();
      }
      // The restarted service ingests normally.
      const res = await fetch(`${restarted.url}/v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ traces: [makeTrace()] }) });
      expect(res.status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});
