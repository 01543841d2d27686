// A seeded pseudo-random generator, so splits, bootstrap resamples and search are reproducible.
// Hand-written (mulberry32, a few lines) because Math.random cannot be seeded and a dependency
// for one well-known 32-bit mixer is not worth it.
import { createHash } from "node:crypto";

export type Rng = () => number;

/** Returns a generator of floats in [0, 1) determined by `seed`. */
export function createRng(seed: number | string): Rng {
  let a = typeof seed === "number" ? seed >>> 0 : createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic shuffle (Fisher–Yates) of a copy of `items`. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
