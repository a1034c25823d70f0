-- Runs created before this column existed were counted against their subjects' budgets when they were created.
-- New runs say which: counted at creation when their tenant had a budget then, otherwise when they end.
ALTER TABLE "executions" ADD COLUMN     "budget_counted" BOOLEAN NOT NULL DEFAULT true;
