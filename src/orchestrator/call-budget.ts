// The budget a served call can be charged to. runSignature reserves a call's tokens before it
// starts and settles them with the real usage; who owns the budget (a hierarchical task's token
// budget, tasks/token-budget.ts) is above the orchestrator, so the orchestrator only knows this port.
import type { AppError, Result } from "../errors.js";

export interface ReserveRequest {
  /** Estimated prompt tokens of the call. */
  promptTokens: number;
  /** Completion tokens the call would like (the signature's maxTokens). */
  maxCompletionTokens: number;
  /** Upper bound for this call (its share of a wave). Default: no cap beyond what is left. */
  cap?: number;
  /** Only the synthesis call may spend the synthesis reserve. Default false. */
  useSynthesisReserve?: boolean;
}

export interface Reservation {
  /** Completion tokens the call may produce (pass as max_tokens). */
  readonly maxCompletionTokens: number;
  /** Records the real usage and returns the unused part of the reservation. */
  settle(usage: { promptTokens: number; completionTokens: number }): void;
}

/** A budget that refuses a call it cannot afford (the error is thrown by runSignature). */
export interface CallBudget {
  reserve(request: ReserveRequest): Result<Reservation, AppError>;
}
