// The current agent run, carried by AsyncLocalStorage so tool calls made anywhere below an
// agent run (across awaits, timers, concurrent runs) attach to the right trace.
import { AsyncLocalStorage } from "node:async_hooks";
import type { RunRecorder } from "./run-recorder.js";

const storage = new AsyncLocalStorage<RunRecorder>();

/** The recorder of the innermost traced agent run, if any. */
export function currentRun(): RunRecorder | undefined {
  const r = storage.getStore();
  return r && !r.isFinished ? r : undefined;
}

export function runWithRecorder<T>(recorder: RunRecorder, fn: () => T): T {
  return storage.run(recorder, fn);
}
