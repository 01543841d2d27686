// Serializes work per key inside this process. OTLP exporters send the spans of one trace in
// concurrent requests; each request reads, merges and rewrites the trace, so two of them on the
// same trace must not interleave. Hand-written because it is ten lines and a library would add a
// dependency for one promise chain; with several service instances on an external database, an
// exporter's spans for one trace normally go to one instance through its keep-alive connection.

const tails = new Map<string, Promise<unknown>>();

/** Runs `fn` once every earlier call with an overlapping key has finished. Keys are locked in sorted order. */
export async function withKeys<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const unique = [...new Set(keys)].sort();
  const previous = unique.map((k) => tails.get(k) ?? Promise.resolve());
  const run = Promise.allSettled(previous).then(fn);
  const tail = run.catch(() => undefined);
  for (const k of unique) tails.set(k, tail);
  try {
    return await run;
  } finally {
    for (const k of unique) if (tails.get(k) === tail) tails.delete(k);
  }
}
