-- The time a run spent RUNNING in attempts that ended: its agent's timeout counts running time, not time queued
-- between attempts. Runs that started before this column existed count from their current attempt.
ALTER TABLE "executions" ADD COLUMN     "ran_ms" INTEGER NOT NULL DEFAULT 0;
