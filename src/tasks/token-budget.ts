// Dynamic resource budgeting (seed 000): a task's `total_budget_tokens` is spent by its sub-calls.
// Each call reserves its prompt estimate plus the completion tokens it may produce before it
// starts, so concurrent calls of a wave can never jointly overspend; the reservation is settled
// with the real usage afterwards. A slice is held back for interruption synthesis.
import { AppError, err, ok, type Result } from "../errors.js";
import type { CallBudget, Reservation, ReserveRequest } from "../orchestrator/call-budget.js";

/** A call was refused because it would exceed the task's token budget. */
export class TaskBudgetExceededError extends AppError {
  constructor(message: string, details: { needed: number; available: number; total: number; used: number }) {
    super("budget_exceeded", message, { status: 422, isRetryable: false, details });
  }
}

export interface TokenBudgetOptions {
  /** Tokens held back for the final (interruption) synthesis call. Default: a quarter of the total. */
  synthesisReserve?: number;
  /** A call that could produce fewer completion tokens than this is refused. Default 16. */
  minCompletionTokens?: number;
}

/** A task's token budget; runSignature charges its calls to it through the CallBudget port. */
export interface TokenBudget extends CallBudget {
  readonly total: number;
  /** Tokens actually spent by settled calls. */
  readonly used: number;
  /** Tokens left for anything (reserve included), never negative. */
  readonly remaining: number;
  /** True once a call has been refused: the task should stop and synthesize. */
  readonly exhausted: boolean;
  /** Tokens one of `calls` parallel sub-calls may use now, the synthesis reserve excluded. */
  share(calls: number): number;
  reserve(request: ReserveRequest): Result<Reservation, TaskBudgetExceededError>;
}

/** Creates the budget of one task. */
export function createTokenBudget(total: number, options: TokenBudgetOptions = {}): TokenBudget {
  const synthesisReserve = Math.min(total, Math.max(0, Math.floor(options.synthesisReserve ?? total / 4)));
  const minCompletion = options.minCompletionTokens ?? 16;
  let used = 0;
  let held = 0;
  let exhausted = false;
  const free = (withReserve: boolean) => Math.max(0, total - used - held - (withReserve ? 0 : synthesisReserve));

  return {
    total,
    get used() {
      return used;
    },
    get remaining() {
      return Math.max(0, total - used - held);
    },
    get exhausted() {
      return exhausted;
    },
    share(calls) {
      return Math.floor(free(false) / Math.max(1, calls));
    },
    reserve(request) {
      const available = Math.min(free(request.useSynthesisReserve ?? false), request.cap ?? Number.POSITIVE_INFINITY);
      const completion = Math.min(request.maxCompletionTokens, available - request.promptTokens);
      if (completion < minCompletion) {
        exhausted = true;
        const needed = request.promptTokens + minCompletion;
        return err(
          new TaskBudgetExceededError(`Token budget exhausted: the call needs at least ${needed} tokens, ${Math.max(0, available)} are available (${used} of ${total} used)`, {
            needed,
            available: Math.max(0, available),
            total,
            used,
          }),
        );
      }
      const amount = request.promptTokens + completion;
      held += amount;
      let settled = false;
      return ok({
        maxCompletionTokens: completion,
        settle(usage) {
          if (settled) return;
          settled = true;
          held -= amount;
          used += usage.promptTokens + usage.completionTokens;
        },
      });
    },
  };
}
