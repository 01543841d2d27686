// Property tests are reproducible: fast-check starts from a fixed seed, so a run of `npm test`
// (and CI) passes or fails the same way every time. FAST_CHECK_SEED=<n> picks another seed,
// FAST_CHECK_SEED=random a fresh one per file, to explore further; a failure prints its seed and
// path, and the counterexample belongs in the property's `examples` once fixed.
import fc from "fast-check";

const wanted = process.env["FAST_CHECK_SEED"];
if (wanted !== "random") {
  const seed = wanted === undefined || wanted === "" ? 20261207 : Number(wanted);
  if (!Number.isInteger(seed)) throw new Error(`FAST_CHECK_SEED must be an integer or "random", got ${JSON.stringify(wanted)}`);
  fc.configureGlobal({ seed });
}
