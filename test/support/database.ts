// A real, migrated embedded Postgres (PGlite + pgvector on a loopback socket) in a temp dir.
import { loadConfig, type Config } from "../../src/config/index.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "./temp-dir.js";
import { seedDataDir } from "./database-template.js";
import { TEST_EMBEDDER_ENV } from "./embedder.js";

export interface TestDatabase {
  db: Database;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts a fresh embedded database, already migrated (a copy of the run's template); with
 * `empty`, a new cluster that the migrations are applied to on open. Call close() in afterAll.
 */
export async function createTestDatabase(env: Record<string, string> = {}, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const tmp = makeTempDir();
  // On the hashing embedder unless the test names one (TEST_EMBEDDER_ENV).
  const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, ...TEST_EMBEDDER_ENV, ...env }, cwd: tmp.dir });
  if (!options.empty && !config.databaseUrl) seedDataDir(config.dataDir);
  const db = await openDatabase(config, silentLogger);
  return {
    db,
    config,
    dataDir: tmp.dir,
    async close() {
      await db.close();
      tmp.remove();
    },
  };
}
