// The signature the orchestrator benchmarks run (a one-word answer) and the model simulator
// they call, started in a child process so that its work does not share the benchmark's event loop.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledVersion } from "../../src/domain/compiled-version.js";
import { loadConfig, type Config } from "../../src/config/index.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { writeVersionFile } from "../../test/support/compiled-versions.js";
import { structuredOutputSchema } from "../../src/signature/field-schemas.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const ECHO_VERSION: CompiledVersion = {
  name: "bench_echo",
  version: "1.0.0",
  parent: null,
  compiledAt: "2026-11-22T00:00:00.000Z",
  description: "Answers a short question.",
  inputs: [{ name: "question", description: "the question", type: "string", optional: false }],
  outputs: [{ name: "answer", description: "the answer", type: "string", optional: false }],
  instructions: "Answer the question in one word.",
  guidelines: [{ text: "Be brief." }],
  demos: [],
  model: { temperature: 0, maxTokens: 64 },
  evaluation: null,
  provenance: { optimizer: "baseline", llmCalls: 0, tokens: 0 },
};
/**
 * What the direct SDK call of the benchmarks asks for: the same strict json_schema response
 * format runSignature sends, so both paths make the server do the same work (the simulator
 * answers a json_schema request ~0.7 ms later than a json_object one, which a json_object
 * baseline counted as our overhead).
 */
export const ECHO_RESPONSE_FORMAT = { type: "json_schema" as const, json_schema: { name: ECHO_VERSION.name, schema: structuredOutputSchema(ECHO_VERSION.outputs)!, strict: true } };
const bank = (latencyMs: number) => ({ families: [{ id: "capital", match: { keywords: ["capital"] }, answer: { answer: "Paris" }, baseAccuracy: 1, latencyMs }] });

/** Starts the simulator in a child process (answering after `latencyMs`, default 0); resolves with its /v1 base URL. */
export function startSimulatorProcess(latencyMs = 0): Promise<{ baseURL: string; child: ChildProcess }> {
  const script = `import(${JSON.stringify(path.join(ROOT, "src/simulator/index.ts"))}).then(async (m) => { const s = await m.startSimulator({ bank: JSON.parse(process.env.BENCH_BANK) }); console.log("URL " + s.baseURL); })`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, env: { ...process.env, BENCH_BANK: JSON.stringify(bank(latencyMs)) }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve({ baseURL: m[1]!, child });
    });
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}


/** What an orchestrator benchmark runs against: the simulator, and a data dir with the echo signature's version and an embedded database. */
export interface EchoBench {
  sim: { baseURL: string; child: ChildProcess };
  config: Config;
  db: Database;
  /** The process serving the database, when it is not this one. */
  dbChild?: ChildProcess;
  /** Closes the database, stops the simulator and removes the data dir. */
  close(): Promise<void>;
}

/**
 * Serves the embedded database (PGlite on its loopback socket) from a child process, so the
 * benchmark reaches it over TCP at a DATABASE_URL as it would a production PostgreSQL: its work
 * no longer shares the benchmark's process.
 */
export function startDatabaseProcess(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  // It runs the embedded autovacuum against itself, as a production PostgreSQL runs its own: without
  // ANALYZE, plans made while the tables were empty (the foreign-key checks of every insert) scan
  // whole tables and the database's cost per trace grows with the table.
  const src = (f: string) => JSON.stringify(path.join(ROOT, "src", f));
  const script = `Promise.all([import(${src("db/embedded-postgres.ts")}), import(${src("log/logger.ts")}), import(${src("db/embedded-autovacuum.ts")}), import("pg")]).then(async ([m, l, av, pgm]) => { const pg = await m.startEmbeddedPostgres({ dataDir: process.env.BENCH_DATA_DIR, logger: l.silentLogger }); const pool = new pgm.default.Pool({ connectionString: pg.url, max: 1 }); const autovacuum = av.startEmbeddedAutovacuum(pool, { naptimeMs: 5000, logger: l.silentLogger }); console.log("URL " + pg.url); process.on("SIGTERM", async () => { await autovacuum.stop(); await pool.end(); await pg.close(); process.exit(0); }); })`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, env: { ...process.env, BENCH_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /URL (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on("exit", (code) => reject(new Error(`database process exited with ${code}`)));
  });
}

/** `databaseProcess`: the database is served by another process and reached by DATABASE_URL (production shape). */
export async function setUpEchoBench(prefix: string, options: { modelLatencyMs?: number; databaseProcess?: boolean } = {}): Promise<EchoBench> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const sim = await startSimulatorProcess(options.modelLatencyMs ?? 0);
  const versionsDir = path.join(dir, "versions");
  writeVersionFile(versionsDir, ECHO_VERSION);
  const dbProcess = options.databaseProcess ? await startDatabaseProcess(path.join(dir, "db")) : undefined;
  const config = loadConfig({ env: { META_AGENT_DATA_DIR: path.join(dir, "data"), META_AGENT_VERSIONS_DIR: versionsDir, ...(dbProcess ? { DATABASE_URL: dbProcess.url } : {}) }, cwd: dir });
  const db = await openDatabase(config, silentLogger);
  return {
    sim,
    config,
    db,
    ...(dbProcess ? { dbChild: dbProcess.child } : {}),
    async close() {
      await db.close();
      sim.child.kill();
      if (dbProcess) {
        const exited = new Promise((r) => dbProcess.child.once("exit", r));
        dbProcess.child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
