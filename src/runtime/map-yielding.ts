// Array.map for CPU work on the service's event loop that must not stall it: the work runs in
// slices of at most `sliceMs`, with a turn of the event loop between slices, so requests in
// flight (HTTP, model responses of concurrent runs) are served while a large trace batch is
// validated and hashed. Written here because it is ten lines over node:timers/promises; the
// scheduling libraries on npm target browsers (requestIdleCallback) or whole task queues.
import { setImmediate as nextTurn } from "node:timers/promises";

/** Default slice: long enough to amortize the yield, short enough to be invisible in a p99. */
export const DEFAULT_SLICE_MS = 2;

/** Maps `items` through `fn` in order, yielding to the event loop every `sliceMs` of work. */
export async function mapYielding<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = DEFAULT_SLICE_MS): Promise<R[]> {
  const out = new Array<R>(items.length);
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i]!, i);
    if (i + 1 < items.length && performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return out;
}
