-- Corrections: a trace's outcome may carry the output the run should have produced
-- (`outcome.expected`). The compiler uses it as the gold answer of the example, so a failed run
-- whose right answer is known can be evaluated on. Null for every existing trace.

-- AlterTable
ALTER TABLE "traces" ADD COLUMN "expected_output" JSONB;
