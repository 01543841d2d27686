// A tool run makes several model calls, each resending the growing conversation. Charged to a
// token budget, every call after the first (which the run's own reservation covers) reserves its
// tokens before it starts and settles them with its real usage, so a tool loop can never spend
// past the budget, or past the run's share of it.
import type { ChatModel } from "../llm/chat-model.js";
import { countChatTokens } from "../llm/token-count.js";
import type { CallBudget } from "./call-budget.js";

export interface BudgetedRoundsOptions {
  /** Most tokens the whole run may take (its share of a wave); later calls get what is left of it. */
  cap?: number;
  useSynthesisReserve?: boolean;
  /** Tokens the run's calls have used so far. */
  spent: () => number;
}

export function budgetedRounds(model: ChatModel, budget: CallBudget, options: BudgetedRoundsOptions): ChatModel {
  let first = true;
  return {
    model: model.model,
    async complete(request) {
      if (first) {
        first = false;
        return model.complete(request);
      }
      const reservation = budget.reserve({
        promptTokens: countChatTokens(request.messages, request.tools),
        maxCompletionTokens: request.maxTokens ?? 0,
        ...(options.cap !== undefined ? { cap: Math.max(0, options.cap - options.spent()) } : {}),
        ...(options.useSynthesisReserve ? { useSynthesisReserve: true } : {}),
      });
      if (!reservation.ok) throw reservation.error;
      try {
        const response = await model.complete({ ...request, maxTokens: reservation.value.maxCompletionTokens });
        reservation.value.settle(response.usage);
        return response;
      } catch (e) {
        // A failed call's tokens are unknown; the provider billed none we can see.
        reservation.value.settle({ promptTokens: 0, completionTokens: 0 });
        throw e;
      }
    },
  };
}
