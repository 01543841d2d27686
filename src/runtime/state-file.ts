// The running service's state file (META_AGENT_STATE_FILE): who is serving, where.
import { writeFileSync, readFileSync, renameSync, unlinkSync, mkdirSync } from "node:fs";
import path from "node:path";

export interface ServiceState {
  pid: number;
  url: string;
  databaseMode: string;
  startedAt: string;
  version: string;
  /** What the service embeds with (a fallback shows here for `meta-agent status`). */
  embedder?: { configured: string; model: string; state: string; reason?: string; loadMs?: number };
}

export function writeServiceState(file: string, state: ServiceState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, file);
}

export function readServiceState(file: string): ServiceState | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ServiceState;
  } catch {
    return undefined;
  }
}

/** Removes the file if it still describes this process. */
export function removeServiceState(file: string): void {
  if (readServiceState(file)?.pid === process.pid) {
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  }
}
