-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "retry_of_id" UUID,
ADD COLUMN     "rolled_back_at" TIMESTAMPTZ(3);

-- Hand-written: the claim caps each tenant's running runs by its plan, so a worker reads tenants' plans (app.purpose
-- = 'worker' is set only by the claim transactions of services/runs/claims.ts).
CREATE POLICY worker_plan ON tenants FOR SELECT USING (app_purpose() = 'worker');

