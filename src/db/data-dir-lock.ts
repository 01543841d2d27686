// Exclusive ownership of the embedded database's data directory. PGlite is single-process:
// two processes opening the same files would corrupt them. The lock file records the owner's
// pid and the loopback URL it serves the database on, so other processes (the CLI) can connect
// to the owner instead of opening the files. Written by hand rather than with a lock library
// because staleness must be judged by "is that pid alive" (a kill -9 must not block the next
// start), not by an mtime heartbeat.
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors.js";

export interface LockInfo {
  pid: number;
  /** postgresql:// URL of the owner's loopback socket; absent while it is still starting. */
  databaseUrl?: string;
  startedAt: string;
}

export class DataDirInUseError extends AppError {
  constructor(dir: string, info: LockInfo) {
    super(
      "data_dir_in_use",
      `The embedded database in ${dir} is in use by process ${info.pid}` +
        (info.databaseUrl ? ` (serving it on ${info.databaseUrl})` : " (still starting)") +
        ". Stop that process, or point META_AGENT_DATA_DIR at another directory.",
      { status: 409 },
    );
  }
}

export function lockFilePath(dataDir: string): string {
  return path.join(dataDir, "embedded-db.lock");
}

/** The live owner of the data dir, or undefined when it is free (a dead owner's lock is stale). */
export function readLiveLock(dataDir: string): LockInfo | undefined {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockFilePath(dataDir), "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
  return typeof info.pid === "number" && isAlive(info.pid) ? info : undefined;
}

export interface DataDirLock {
  /** Publishes the URL the owner serves the database on. */
  publish(databaseUrl: string): void;
  release(): void;
}

/** Takes the data dir's lock or throws DataDirInUseError naming the owner. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  const mine: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      return makeLock(file, mine);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readLiveLock(dataDir);
      if (owner && owner.pid !== process.pid) throw new DataDirInUseError(dataDir, owner);
      try {
        unlinkSync(file); // stale: its owner died without releasing it
      } catch {
        /* another process removed it first; retry */
      }
    }
  }
  throw new AppError("data_dir_lock_failed", `Could not take the lock ${file}`);
}

function makeLock(file: string, info: LockInfo): DataDirLock {
  let released = false;
  return {
    publish(databaseUrl) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...info, databaseUrl }));
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      try {
        const current = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
        if (current.pid === info.pid) unlinkSync(file);
      } catch {
        /* already gone */
      }
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
