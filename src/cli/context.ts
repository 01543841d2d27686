// Shared plumbing for CLI commands: configuration, logger, and a database handle that attaches
// to a running service's embedded database when there is one.
import { loadConfig, type Config } from "../config/index.js";
import { ConfigError } from "../errors.js";
import { createLogger, type Logger } from "../log/logger.js";
import type { Database } from "../db/database.js";

export interface CliContext {
  config: Config;
  logger: Logger;
}

export function cliContext(): CliContext {
  const config = loadConfig();
  // CLI output goes to stdout; logs (stderr) stay quiet unless asked for.
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  return { config, logger };
}

/**
 * Opens the database for a short command (a listing, a lookup, one run), runs `fn`, and always
 * closes it. If the command has to start the embedded database itself, it starts it for a short
 * job (embedded_cli_fast_start).
 */
export function withDatabase<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  return openFor(ctx, fn, ctx.config.embeddedCliFastStart, false);
}

/**
 * withDatabase for a command that only reads (listings, lookups, reports): it never creates a
 * database to read from. Without META_AGENT_DATA_DIR it reads the running service's database
 * when the default data dir has none (cli/find-service-database.ts).
 */
export function withReadDatabase<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  return openFor(ctx, fn, ctx.config.embeddedCliFastStart, true);
}

/**
 * withDatabase for a batch command: one whose work grows with the data (import, indexing,
 * analysis, compiling, learning, export) or that runs on. It starts the embedded database as the
 * service does: the fast start's baseline compiler and small buffer cache made a 23,500-chunk
 * `librarian index` 1.4× slower.
 */
export function withBatchDatabase<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  return openFor(ctx, fn, false, false);
}

async function openFor<T>(ctx: CliContext, fn: (db: Database) => Promise<T>, fastStart: boolean, readOnly: boolean): Promise<T> {
  const { chooseCliDatabase } = await import("./find-service-database.js");
  const choice = chooseCliDatabase(ctx.config, { readOnly });
  if (choice.notice) console.error(choice.notice);
  // Later steps of the command (registry, learning deps) read the same data dir.
  ctx.config = choice.config;
  const { openDatabase } = await import("../db/database.js");
  const db = await openDatabase(choice.config, ctx.logger, { attach: true, fastStart });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Prints a user-facing error (no stack for expected errors) and sets a failing exit code. */
export function reportCliError(err: unknown): void {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 2;
    return;
  }
  const e = err as { code?: string; message?: string; status?: number };
  if (e && typeof e.code === "string" && typeof e.status === "number") console.error(`Error (${e.code}): ${e.message}`);
  else console.error(err);
  process.exitCode = 1;
}
