// A real, migrated embedded Postgres (PGlite + pgvector on a loopback socket) in a temp dir.
import { loadConfig, type Config } from "../../src/config/index.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "./temp-dir.js";

export interface TestDatabase {
  db: Database;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts a fresh embedded database; call close() in afterAll. */
export async function createTestDatabase(env: Record<string, string> = {}): Promise<TestDatabase> {
  const tmp = makeTempDir();
  const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, ...env }, cwd: tmp.dir });
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
