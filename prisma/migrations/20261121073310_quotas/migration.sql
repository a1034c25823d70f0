-- CreateTable
CREATE TABLE "tenant_usage" (
    "tenant_id" UUID NOT NULL,
    "period_start" DATE NOT NULL,
    "executions" INTEGER NOT NULL DEFAULT 0,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_usage_pkey" PRIMARY KEY ("tenant_id","period_start")
);

-- AddForeignKey
ALTER TABLE "tenant_usage" ADD CONSTRAINT "tenant_usage_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written: tenant isolation as for every tenant-owned table (see *_identity). The application increments
-- usage (INSERT … ON CONFLICT DO UPDATE) and reads it; it never deletes usage history.
-- ---------------------------------------------------------------------------------------------------------------
GRANT SELECT, INSERT, UPDATE ON tenant_usage TO agent_platform_app;

ALTER TABLE tenant_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_usage USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
