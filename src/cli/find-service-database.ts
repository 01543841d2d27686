// Which database a CLI command uses when no DATABASE_URL is set. The data dir's own running
// service comes first (the command attaches to it). A command started without META_AGENT_DATA_DIR
// uses the database of a service running elsewhere (announced in services_dir; one started in
// the same directory first, else the newest) and says so, adopting the settings the service
// shares (prompts, versions; the playground's model). Without one, a read-only command stops
// with a message instead of creating an empty database to read from. A command told to use
// another database than a running service's says which it reads and where the service runs.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config/index.js";
import { AppError } from "../errors.js";
import { readLiveLock } from "../db/data-dir-lock.js";
import { findRunningServices, type ServiceBeacon } from "../runtime/service-beacons.js";

export interface DatabaseChoice {
  /** The configuration to open the database with (its data dir may be the running service's). */
  config: Config;
  /** A line for stderr saying which database is used and why, when it is not the obvious one. */
  notice?: string;
}

const hasDatabase = (dataDir: string) => existsSync(path.join(dataDir, "pgdata"));

/** Chooses the database of a CLI command; throws `no_database` for a read-only command with nothing to read. */
export function chooseCliDatabase(config: Config, options: { readOnly: boolean }): DatabaseChoice {
  if (config.databaseUrl || readLiveLock(config.dataDir)) return { config };
  const elsewhere = findRunningServices(config.servicesDir).filter((s) => path.resolve(s.dataDir) !== path.resolve(config.dataDir));
  const embedded = elsewhere.filter((s) => s.databaseMode === "embedded");
  if (!config.dataDirConfigured) {
    const cwd = process.cwd();
    const service = embedded.find((s) => path.resolve(s.cwd) === cwd) ?? embedded[0];
    if (service) {
      return {
        config: adopt(config, service),
        notice: `Using the database of the meta-agent service running at ${service.url} (pid ${service.pid}, data dir ${service.dataDir}).`,
      };
    }
    if (options.readOnly && !hasDatabase(config.dataDir)) {
      throw new AppError(
        "no_database",
        `No database in ${config.dataDir} yet, and no running meta-agent service was found. Start the service (npm start), ` +
          `or point META_AGENT_DATA_DIR (or DATABASE_URL) at the database to read.`,
        { status: 404 },
      );
    }
  }
  const other = elsewhere[0];
  if (other && !config.dataDirConfigured) return { config, notice: describeOther(config, other) };
  return { config };
}

/** `config` on the service's database, with the settings it shares that the command did not set itself. */
function adopt(config: Config, service: ServiceBeacon): Config {
  const out: Record<string, unknown> = { ...config, dataDir: service.dataDir, stateFile: path.join(service.dataDir, "state.json") };
  for (const [key, value] of Object.entries(service.settings ?? {})) if (!config.configuredKeys.includes(key)) out[key] = value;
  return out as Config;
}

const describeOther = (config: Config, other: ServiceBeacon) =>
  `Reading the embedded database in ${config.dataDir}. A meta-agent service is running at ${other.url} on another database` +
  (other.databaseMode === "embedded" ? ` (data dir ${other.dataDir}; set META_AGENT_DATA_DIR=${other.dataDir} to use it).` : " (DATABASE_URL; set it here too to use that database).");
