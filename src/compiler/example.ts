// A training/evaluation example: one recorded execution of a signature (a trace) with its
// inputs, the outputs it produced, how it went, and — when someone corrected it — the right answer.
export interface Example {
  /** Trace id. */
  id: string;
  input: Record<string, unknown>;
  /** Outputs recorded in the trace (the gold answer when the trace succeeded and was not corrected). */
  output: Record<string, unknown> | null;
  success: boolean | null;
  score: number | null;
  feedback: string | null;
  /**
   * The trace's correction (`outcome.expected`, checked against the signature's output fields):
   * the output the run should have produced. When present it is the gold answer, whatever the run's
   * outcome — a failed run whose right answer is known is a labelled example. A correction may
   * name only the fields it corrects; the others are taken as the run answered them (when its
   * output was valid).
   */
  expected?: Record<string, unknown>;
  /** True when the correction alone names every required output field (only then is it a demo's answer). */
  correctionComplete?: boolean;
  startedAt: string;
}

/** True when the example's recorded output can serve as a gold answer / demo. */
export function isSuccessful(example: Example, threshold: number): boolean {
  return example.success === true && example.output !== null && (example.score === null || example.score >= threshold);
}

/** True when the example carries a correction (its gold answer came from a person, not the run). */
export const isCorrected = (example: Example): boolean => example.expected !== undefined;

/**
 * The gold answer of an example: its correction when it has one, else the recorded output of a
 * successful run (at or above `threshold`), else null (nothing to compare with).
 */
export function goldOutput(example: Example, threshold: number): Record<string, unknown> | null {
  if (example.expected !== undefined) return example.expected;
  return isSuccessful(example, threshold) ? example.output : null;
}

/** True when the example has a gold answer: a successful run or a corrected one. */
export const hasGold = (example: Example, threshold: number): boolean => goldOutput(example, threshold) !== null;

/**
 * What a gold-comparing metric compares a prediction with: the correction when there is one,
 * else the recorded output (the dev set holds only examples with a gold answer).
 */
export const referenceOutput = (example: Example): Record<string, unknown> | null => example.expected ?? example.output;
