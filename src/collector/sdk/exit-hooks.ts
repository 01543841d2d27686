// Flushes buffered traces when the process is about to end: on `beforeExit` (the event loop is
// empty) and on SIGTERM / SIGINT. After a signal flush, the signal is re-raised when nobody
// else listens for it, so the process still ends the way it would have without us.

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * Installs the hooks; returns a function that removes them.
 * @param flush resolves when buffered traces are written; never rejects.
 * @param timeoutMs longest wait on a signal before giving up. Default 5000.
 */
export function installExitFlush(flush: () => Promise<void>, hasPending: () => boolean, timeoutMs = 5_000): () => void {
  const onBeforeExit = () => {
    // Scheduling work here keeps the process alive; beforeExit fires again once it is done.
    if (hasPending()) void flush();
  };
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    const handler = () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      void Promise.race([flush(), timeout]).finally(() => {
        clearTimeout(timer);
        process.off(signal, handler);
        // Only we were listening: behave like Node's default (terminate by the signal).
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  process.on("beforeExit", onBeforeExit);
  return () => {
    process.off("beforeExit", onBeforeExit);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
