// A migrated embedded database built once per test run, copied into each test's fresh data dir.
// Creating a PGlite cluster (initdb) and migrating it takes ~5 s on 2 cores; copying the closed
// cluster's files takes ~0.15 s, and what a test starts from is byte for byte what the migrations
// produce, built from this checkout's migrations at the start of every run (global-setup.ts).
// Tests of the first start itself (migrations applied to an empty database, initdb) opt out.
import { cpSync, existsSync } from "node:fs";
import path from "node:path";

/** Where global-setup.ts publishes the template's `pgdata` directory to test workers and the processes they spawn. */
export const TEMPLATE_ENV = "META_AGENT_TEST_PGDATA_TEMPLATE";

/**
 * Gives `dataDir` the template's migrated cluster unless it already has one (or no template was
 * built: a test run outside the vitest configs). Returns whether it did.
 */
export function seedDataDir(dataDir: string): boolean {
  const template = process.env[TEMPLATE_ENV];
  const target = path.join(dataDir, "pgdata");
  if (!template || existsSync(target)) return false;
  cpSync(template, target, { recursive: true });
  return true;
}
