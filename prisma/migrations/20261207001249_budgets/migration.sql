-- CreateEnum
CREATE TYPE "BudgetSubject" AS ENUM ('TENANT', 'USER', 'API_KEY', 'AGENT');

-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "created_by_api_key_id" UUID;

-- CreateTable
CREATE TABLE "budgets" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "subject" "BudgetSubject" NOT NULL,
    "subject_id" UUID NOT NULL,
    "max_executions" INTEGER,
    "max_tokens" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subject_usage" (
    "tenant_id" UUID NOT NULL,
    "subject" "BudgetSubject" NOT NULL,
    "subject_id" UUID NOT NULL,
    "period_start" DATE NOT NULL,
    "executions" INTEGER NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "executions_alerted" INTEGER NOT NULL DEFAULT 0,
    "tokens_alerted" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subject_usage_pkey" PRIMARY KEY ("tenant_id","subject","subject_id","period_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "budgets_tenant_id_subject_subject_id_key" ON "budgets"("tenant_id", "subject", "subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "budgets_tenant_id_id_key" ON "budgets"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subject_usage" ADD CONSTRAINT "subject_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written: tenant isolation as for every tenant-owned table. The application manages budgets, and increments
-- and reads usage (INSERT … ON CONFLICT DO UPDATE); it never deletes usage history (purge_tenant does).
-- ---------------------------------------------------------------------------------------------------------------
ALTER TABLE budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE budgets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON budgets USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON budgets TO agent_platform_app;

ALTER TABLE subject_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE subject_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON subject_usage USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE ON subject_usage TO agent_platform_app;
