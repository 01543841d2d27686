-- Prompt tokens an llm_call read from the provider's prompt cache (priced at model_prices' cached_input).
ALTER TABLE "trace_steps" ADD COLUMN "cached_tokens" INTEGER;
