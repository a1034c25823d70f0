-- CreateEnum
CREATE TYPE "TenantExportStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "tenant_exports" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "status" "TenantExportStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by_id" UUID,
    "requested_by_api_key_id" UUID,
    "records" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "claimed_by" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "tenant_exports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_export_chunks" (
    "tenant_id" UUID NOT NULL,
    "export_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "tenant_export_chunks_pkey" PRIMARY KEY ("export_id","seq")
);

-- CreateIndex
CREATE INDEX "tenant_exports_status_created_at_idx" ON "tenant_exports"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_exports_tenant_id_id_key" ON "tenant_exports"("tenant_id", "id");

-- AddForeignKey
ALTER TABLE "tenant_exports" ADD CONSTRAINT "tenant_exports_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_export_chunks" ADD CONSTRAINT "tenant_export_chunks_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_export_chunks" ADD CONSTRAINT "tenant_export_chunks_tenant_id_export_id_fkey" FOREIGN KEY ("tenant_id", "export_id") REFERENCES "tenant_exports"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------------------------
-- Hand-written.
-- At most one export in progress per tenant: a second request while one is PENDING or RUNNING gets that one.
CREATE UNIQUE INDEX tenant_exports_one_active ON tenant_exports (tenant_id) WHERE status IN ('PENDING', 'RUNNING');

-- Tenant isolation as for every tenant-owned table; workers find jobs across tenants (purpose 'worker', read and
-- claim only) and then act inside the job's tenant.
ALTER TABLE tenant_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_exports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_exports USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
CREATE POLICY worker_export ON tenant_exports FOR SELECT USING (app_purpose() = 'worker');
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_exports TO agent_platform_app;

ALTER TABLE tenant_export_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_export_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_export_chunks USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_export_chunks TO agent_platform_app;
CREATE POLICY worker_export_claim ON tenant_exports FOR UPDATE USING (app_purpose() = 'worker') WITH CHECK (app_purpose() = 'worker');
