// A refresh of the heuristics library that failed after its reflections had made model calls:
// the error carries what they spent, so a learning cycle charges it to max_llm_calls_per_cycle
// instead of handing compilation a budget those calls already used.

export interface ModelSpend {
  calls: number;
  tokens: number;
}

export class SpentThenFailedError extends Error {
  constructor(
    readonly spent: ModelSpend,
    cause: unknown,
  ) {
    super(`refreshing the heuristics library failed after ${spent.calls} model call(s): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "SpentThenFailedError";
  }
}

/** Runs `step`; a failure (other than an abort) after `spent` calls is rethrown carrying them. */
export async function chargeOnFailure<T>(spent: ModelSpend, signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (signal?.aborted || spent.calls === 0 || e instanceof SpentThenFailedError) throw e;
    throw new SpentThenFailedError({ calls: spent.calls, tokens: spent.tokens }, e);
  }
}
