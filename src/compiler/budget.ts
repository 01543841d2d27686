// Spending limits of one compilation: LLM calls and tokens. Every model call of the compiler
// goes through a budgeted ChatModel, so a limit stops the compilation wherever it is reached.
import { AppError } from "../errors.js";
import type { ChatModel, ChatRequest, ChatResponse } from "../llm/chat-model.js";

/** Thrown before a call that the budget no longer allows. Not retryable: the budget is spent. */
export class CompileBudgetExceededError extends AppError {
  constructor(message: string, details: BudgetSpend) {
    super("budget_exceeded", message, { status: 429, isRetryable: false, details });
  }
}

export interface BudgetLimits {
  /** Maximum LLM calls (default: unlimited). */
  maxCalls?: number;
  /** Maximum prompt + completion tokens (default: unlimited). */
  maxTokens?: number;
}

export interface BudgetSpend {
  llmCalls: number;
  tokens: number;
  maxLlmCalls: number | null;
  maxTokens: number | null;
  /** True once a call was refused because a limit was reached. */
  exhausted: boolean;
}

export interface Budget {
  spend(): BudgetSpend;
  /** Wraps a model so that each call is checked against and counted in this budget. */
  wrap(model: ChatModel): ChatModel;
}

/** Creates a budget. A call is refused once calls or tokens reached their limit. */
export function createBudget(limits: BudgetLimits = {}): Budget {
  let llmCalls = 0;
  let tokens = 0;
  let exhausted = false;
  const spend = (): BudgetSpend => ({ llmCalls, tokens, maxLlmCalls: limits.maxCalls ?? null, maxTokens: limits.maxTokens ?? null, exhausted });
  const check = () => {
    const reason =
      limits.maxCalls !== undefined && llmCalls >= limits.maxCalls
        ? `LLM call budget exhausted (${llmCalls} of ${limits.maxCalls} calls used)`
        : limits.maxTokens !== undefined && tokens >= limits.maxTokens
          ? `token budget exhausted (${tokens} of ${limits.maxTokens} tokens used)`
          : undefined;
    if (reason) {
      exhausted = true;
      throw new CompileBudgetExceededError(reason, spend());
    }
  };
  return {
    spend,
    wrap(model) {
      return {
        model: model.model,
        async complete(request: ChatRequest): Promise<ChatResponse> {
          check();
          // Counted before the answer arrives so concurrent calls cannot overshoot the call limit.
          llmCalls++;
          const response = await model.complete(request);
          tokens += response.usage.promptTokens + response.usage.completionTokens;
          return response;
        },
      };
    },
  };
}
