-- AlterTable
ALTER TABLE "mcp_servers" ADD COLUMN     "tools_expire_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "mcp_servers_tools_expire_at_idx" ON "mcp_servers"("tools_expire_at");

-- The refresher (worker purpose) finds stale lists and READY servers across tenants, and claims a stale list by
-- moving its expiry; everything else it does goes through the tenant-scoped path.
CREATE POLICY worker_refresh ON mcp_servers FOR SELECT USING (app_purpose() = 'worker');
CREATE POLICY worker_refresh_update ON mcp_servers FOR UPDATE USING (app_purpose() = 'worker') WITH CHECK (app_purpose() = 'worker');
