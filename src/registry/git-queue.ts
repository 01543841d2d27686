// One serialized queue per repository for every git operation this process runs, so concurrent
// writers (learning cycle, HTTP rollback, compiler) never race on refs or index.lock.
// Hand-written rather than p-queue: a promise chain with concurrency 1 is all we need, and it
// must be shared by every store opened on the same repository (keyed by its real path).
import { realpathSync } from "node:fs";

export interface GitQueue {
  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

const queues = new Map<string, GitQueue>();

function createQueue(): GitQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task, task);
      // A failed task must not block the ones after it.
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/** The process-wide queue for the repository at `repoDir`. */
export function gitQueueFor(repoDir: string): GitQueue {
  let key = repoDir;
  try {
    key = realpathSync(repoDir);
  } catch {
    // A missing directory fails later with a clear git error; key by the given path meanwhile.
  }
  let q = queues.get(key);
  if (!q) queues.set(key, (q = createQueue()));
  return q;
}
