-- AlterEnum
ALTER TYPE "ExecutionStatus" ADD VALUE 'INTERRUPTED';

-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "interrupts" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "resume_of_id" UUID;

-- A run may end waiting for a person (RUNNING → INTERRUPTED, final: answering starts a new run). Mirrors
-- src/services/runs/lifecycle.ts; the new label is only compared as text here, so it may be added in this script.
CREATE OR REPLACE FUNCTION executions_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'QUEUED' THEN
      RAISE EXCEPTION 'an execution starts QUEUED, not %', NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = OLD.status
     OR (OLD.status = 'QUEUED' AND NEW.status::text IN ('RUNNING', 'CANCELLED'))
     OR (OLD.status = 'RUNNING' AND NEW.status::text IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'QUEUED', 'INTERRUPTED')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'invalid execution status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
END
$$;
