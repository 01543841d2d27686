// Running services announce themselves in one per-user directory (services_dir): one small file
// per process with its URL and data dir. The CLI reads it to find a service whose database lives
// elsewhere (started from another shell with another META_AGENT_DATA_DIR), instead of quietly
// opening a second, empty database. A file whose process is gone is stale and ignored (removed).
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ServiceBeacon {
  pid: number;
  url: string;
  /** Absolute data dir of the service (its embedded database, state file). */
  dataDir: string;
  /** `embedded`, or `external` (DATABASE_URL, which is not written here: it may hold a password). */
  databaseMode: string;
  startedAt: string;
  /** Working directory the service was started in. */
  cwd: string;
  /**
   * Settings a CLI command adopts along with the database, unless it sets them itself: where the
   * prompts and versions live, and for the playground (`serve --simulate`) the simulated model
   * and learning settings. Never secrets (API keys, DATABASE_URL).
   */
  settings?: Record<string, string | number | boolean>;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Writes this process's beacon; returns the function that removes it (idempotent). */
export function announceService(dir: string, beacon: ServiceBeacon): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${beacon.pid}.json`);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(beacon, null, 2) + "\n");
  renameSync(tmp, file);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}

/** Services announced in `dir` whose process is alive, newest first. */
export function findRunningServices(dir: string): ServiceBeacon[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const out: ServiceBeacon[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let beacon: ServiceBeacon;
    try {
      beacon = JSON.parse(readFileSync(file, "utf8")) as ServiceBeacon;
    } catch {
      continue; // being written, or not ours
    }
    if (typeof beacon.pid !== "number" || typeof beacon.dataDir !== "string") continue;
    if (isAlive(beacon.pid)) out.push(beacon);
    else
      try {
        unlinkSync(file);
      } catch {
        /* another reader removed it */
      }
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
