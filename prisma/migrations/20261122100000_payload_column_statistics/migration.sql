-- No planner statistics for the payload columns of traces and trace_steps. Queries never filter,
-- join or group on them, so their statistics buy no plan, while ANALYZE spent most of its time
-- on them: measured on the embedded database with 100k steps, ANALYZE trace_steps took 396 ms
-- with them and 70 ms without (traces: 135 → 73 ms). On the embedded database an ANALYZE blocks
-- every client for its whole run. Prisma does not model statistics targets, so schema.prisma is
-- unaffected.
ALTER TABLE "traces"
  ALTER COLUMN "problem" SET STATISTICS 0,
  ALTER COLUMN "input" SET STATISTICS 0,
  ALTER COLUMN "output" SET STATISTICS 0,
  ALTER COLUMN "feedback" SET STATISTICS 0,
  ALTER COLUMN "metadata" SET STATISTICS 0;

ALTER TABLE "trace_steps"
  ALTER COLUMN "arguments" SET STATISTICS 0,
  ALTER COLUMN "response" SET STATISTICS 0,
  ALTER COLUMN "error" SET STATISTICS 0,
  ALTER COLUMN "reasoning" SET STATISTICS 0,
  ALTER COLUMN "justification" SET STATISTICS 0,
  ALTER COLUMN "messages" SET STATISTICS 0;
