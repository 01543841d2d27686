// The buffered HTTP transport against a real collector on loopback: outages, Retry-After,
// the bounded queue, and the flush on SIGTERM in a child process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { startCollectorServer } from "../support/collector-server.js";
import { makeTrace } from "../support/trace-builder.js";
import { MetaAgentClient } from "../../src/index.js";
import { silentLogger } from "../../src/log/logger.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const countTraces = async (prefix: string) => Number((await t.db.pool.query("SELECT count(*) AS n FROM traces WHERE id LIKE $1", [`${prefix}%`])).rows[0].n);
const freePort = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
};

describe("MetaAgentClient", () => {
  it("delivers every trace exactly once when the collector is down for 2 s and then comes back", async () => {
    const port = await freePort();
    const client = new MetaAgentClient({ url: `http://127.0.0.1:${port}`, batchSize: 10, flushIntervalMs: 50, initialBackoffMs: 100, maxBackoffMs: 800, handleExit: false, logger: silentLogger });
    const ids = Array.from({ length: 35 }, (_, i) => `outage-${i}`);
    for (const id of ids) client.send(makeTrace({ id }));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await countTraces("outage-")).toBe(0);
    const server = await startCollectorServer(t, port);
    try {
      await client.flush();
      expect(client.stats).toMatchObject({ queued: 0, sent: 35, dropped: 0, rejected: 0 });
      expect(client.stats.retries).toBeGreaterThan(0);
      expect(await countTraces("outage-")).toBe(35);
      const rows = await t.db.pool.query("SELECT id, step_count FROM traces WHERE id LIKE 'outage-%'");
      expect(new Set(rows.rows.map((r) => r.id))).toEqual(new Set(ids));
      expect(rows.rows.every((r) => r.step_count === 4)).toBe(true);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("retries 429 and 503 after the Retry-After the server asks for", async () => {
    const collector = await startCollectorServer(t);
    const hits: number[] = [];
    // A loopback front that throttles the first two requests, then forwards to the collector.
    const front: Server = createServer(async (req, res) => {
      hits.push(Date.now());
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (hits.length === 1) return res.writeHead(429, { "retry-after": "1" }).end();
      if (hits.length === 2) return res.writeHead(503, { "retry-after": new Date(Date.now() + 1000).toUTCString() }).end();
      const upstream = await fetch(collector.url + req.url, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
    });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", r));
    const client = new MetaAgentClient({ url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, initialBackoffMs: 10, handleExit: false, logger: silentLogger });
    try {
      client.send(makeTrace({ id: "throttled-1" }));
      await client.flush();
      expect(hits).toHaveLength(3);
      expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(900);
      expect(client.stats).toMatchObject({ sent: 1, retries: 2, dropped: 0 });
      expect(await countTraces("throttled-")).toBe(1);
    } finally {
      await client.close();
      await new Promise((r) => front.close(r));
      await collector.close();
    }
  });

  it("bounds its queue and counts what it drops, without throwing into the caller", async () => {
    const port = await freePort();
    const drops: number[] = [];
    const client = new MetaAgentClient({ url: `http://127.0.0.1:${port}`, maxQueueSize: 5, batchSize: 100, flushIntervalMs: 60_000, maxRetries: 1, initialBackoffMs: 10, handleExit: false, logger: silentLogger, onDrop: (n) => drops.push(n) });
    for (let i = 0; i < 8; i++) expect(() => client.send(makeTrace())).not.toThrow();
    expect(client.dropped).toBe(3);
    await client.flush(); // nobody listens: retries run out, the 5 queued are dropped too
    expect(client.stats).toMatchObject({ queued: 0, sent: 0, dropped: 8 });
    expect(drops.reduce((a, b) => a + b, 0)).toBe(8);
    await client.close();
  });

  it("flushes buffered traces on SIGTERM so every trace arrives", async () => {
    const server = await startCollectorServer(t);
    try {
      const script = fileURLToPath(new URL("./fixtures/sigterm-agent.ts", import.meta.url));
      const child = spawn(process.execPath, ["--import", "tsx", script, server.url, "40"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          out += d;
          if (out.includes("ready")) resolve();
        });
        child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${err}`)));
      });
      expect(out).toContain("queued=40");
      expect(await countTraces("sigterm-")).toBe(0);
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
      child.kill("SIGTERM");
      expect(await exited).toBe("SIGTERM");
      expect(await countTraces("sigterm-")).toBe(40);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("flushes on beforeExit when the agent's process simply ends", async () => {
    const server = await startCollectorServer(t);
    try {
      const script = fileURLToPath(new URL("./fixtures/sigterm-agent.ts", import.meta.url));
      const child = spawn(process.execPath, ["--import", "tsx", script, server.url, "15", "natural", "natural"], { stdio: ["ignore", "pipe", "pipe"] });
      const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
      expect(code).toBe(0);
      expect(await countTraces("natural-")).toBe(15);
    } finally {
      await server.close();
    }
  }, 60_000);
});
