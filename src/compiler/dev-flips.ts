// The dev examples whose pass/fail verdict (score against the metric's threshold) differs between
// parent and candidate, both ways, for the pull-request text.
import type { DevFlips } from "../domain/dev-flip.js";
import type { ExampleScore } from "./evaluate-version.js";
import type { Example } from "./example.js";

const MAX_INPUT_CHARS = 160;

/** Flips between `parent` and `candidate` scores of the same dev examples. */
export function devFlips(dev: readonly Example[], parent: readonly ExampleScore[], candidate: readonly ExampleScore[], threshold: number): DevFlips {
  const inputs = new Map(dev.map((e) => [e.id, e.input]));
  const before = new Map(parent.map((s) => [s.id, s.score]));
  const flips: DevFlips = { fixed: [], broken: [] };
  for (const c of candidate) {
    const b = before.get(c.id);
    if (b === undefined) continue;
    const passedBefore = b >= threshold;
    const passedAfter = c.score >= threshold;
    if (passedBefore === passedAfter) continue;
    const text = JSON.stringify(inputs.get(c.id) ?? {});
    const flip = { traceId: c.id, input: text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS - 1)}…` : text, before: b, after: c.score };
    (passedAfter ? flips.fixed : flips.broken).push(flip);
  }
  return flips;
}
