// Vitest global setup (both configs): builds the migrated database template that
// database-template.ts copies into fresh data dirs, and removes it when the run ends.
import path from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { openDatabase } from "../../src/db/database.js";
import { silentLogger } from "../../src/log/logger.js";
import { makeTempDir } from "./temp-dir.js";
import { TEMPLATE_ENV } from "./database-template.js";

export default async function setup(): Promise<() => void> {
  const tmp = makeTempDir("meta-agent-test-template-");
  const config = loadConfig({ env: { META_AGENT_DATA_DIR: tmp.dir, META_AGENT_EMBEDDED_AUTOVACUUM_NAPTIME_MS: "0" }, cwd: tmp.dir });
  const db = await openDatabase(config, silentLogger);
  await db.close(); // a clean shutdown: the files are a consistent cluster to copy
  process.env[TEMPLATE_ENV] = path.join(tmp.dir, "pgdata");
  return () => tmp.remove();
}
