-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "messages" JSONB;

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "event_seq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "tenant_events" (
    "tenant_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_events_pkey" PRIMARY KEY ("tenant_id","seq")
);

-- CreateIndex
CREATE INDEX "executions_status_heartbeat_at_idx" ON "executions"("status", "heartbeat_at");

-- CreateIndex
CREATE INDEX "executions_status_agent_id_idx" ON "executions"("status", "agent_id");

-- AddForeignKey
ALTER TABLE "tenant_events" ADD CONSTRAINT "tenant_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written: the domain-event log is tenant-owned like the rest; workers claim queued executions across tenants.
-- ---------------------------------------------------------------------------------------------------------------
GRANT SELECT, INSERT ON tenant_events TO agent_platform_app;
ALTER TABLE tenant_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_events USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());

-- A worker finds, claims and reclaims executions of every tenant (app.purpose = 'worker', set only by the claim
-- and reclaim statements); everything it then does for a run happens under that run's tenant.
CREATE POLICY worker_claim ON executions FOR SELECT USING (app_purpose() = 'worker');
CREATE POLICY worker_claim_update ON executions FOR UPDATE USING (app_purpose() = 'worker') WITH CHECK (app_purpose() = 'worker');

-- The execution state machine, enforced where every writer must pass: QUEUED → RUNNING → SUCCEEDED | FAILED |
-- CANCELLED | TIMED_OUT, plus QUEUED → CANCELLED and RUNNING → QUEUED (retry, or reclaim of a dead worker's run).
-- Mirrored in src/services/execution-state.ts.
CREATE FUNCTION executions_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'QUEUED' THEN
      RAISE EXCEPTION 'an execution starts QUEUED, not %', NEW.status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = OLD.status
     OR (OLD.status = 'QUEUED' AND NEW.status IN ('RUNNING', 'CANCELLED'))
     OR (OLD.status = 'RUNNING' AND NEW.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'QUEUED')) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'invalid execution status transition % -> %', OLD.status, NEW.status USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER executions_status_transition BEFORE INSERT OR UPDATE OF status ON executions
  FOR EACH ROW EXECUTE FUNCTION executions_status_transition();
