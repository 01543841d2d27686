// A training/evaluation example: one recorded execution of a signature (a trace) with its
// inputs, the outputs it produced, and how it went.
export interface Example {
  /** Trace id. */
  id: string;
  input: Record<string, unknown>;
  /** Outputs recorded in the trace (the gold answer when the trace succeeded). */
  output: Record<string, unknown> | null;
  success: boolean | null;
  score: number | null;
  feedback: string | null;
  startedAt: string;
}

/** True when the example's recorded output can serve as a gold answer / demo. */
export function isSuccessful(example: Example, threshold: number): boolean {
  return example.success === true && example.output !== null && (example.score === null || example.score >= threshold);
}
