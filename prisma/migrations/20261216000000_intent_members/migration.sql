-- Which traces each intent of an analysis run holds (issue 28: the dashboard filters traces by
-- intent). Intents are found by clustering a capped sample (analyzer_intent_sample, default
-- 2000), so a run stores at most that many ids in all; task and "all" strata keep an empty list
-- (their traces are found by the task key).

-- AlterTable
ALTER TABLE "analysis_strata" ADD COLUMN "members" JSONB NOT NULL DEFAULT '[]';
