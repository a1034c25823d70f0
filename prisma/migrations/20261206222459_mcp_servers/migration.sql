/*
  Warnings:

  - A unique constraint covering the columns `[mcp_server_id,remote_name]` on the table `tools` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "McpServerStatus" AS ENUM ('SYNCING', 'READY', 'ERROR');

-- AlterEnum
ALTER TYPE "ToolKind" ADD VALUE 'MCP';

-- AlterTable
ALTER TABLE "tools" ADD COLUMN     "available" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "mcp_server_id" UUID,
ADD COLUMN     "remote_name" TEXT,
ADD COLUMN     "requires_approval" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "mcp_servers" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "header_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "headers_sealed" TEXT,
    "allowed_tools" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allow_all_tools" BOOLEAN NOT NULL DEFAULT true,
    "requires_approval" BOOLEAN NOT NULL DEFAULT false,
    "status" "McpServerStatus" NOT NULL DEFAULT 'SYNCING',
    "last_synced_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mcp_servers_tenant_id_created_at_id_idx" ON "mcp_servers"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "mcp_servers_tenant_id_id_key" ON "mcp_servers"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "mcp_servers_tenant_id_name_key" ON "mcp_servers"("tenant_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "tools_mcp_server_id_remote_name_key" ON "tools"("mcp_server_id", "remote_name");

-- AddForeignKey
ALTER TABLE "tools" ADD CONSTRAINT "tools_tenant_id_mcp_server_id_fkey" FOREIGN KEY ("tenant_id", "mcp_server_id") REFERENCES "mcp_servers"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant isolation, as for every tenant-owned table.
ALTER TABLE mcp_servers ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcp_servers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON mcp_servers USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id());
GRANT SELECT, INSERT, UPDATE, DELETE ON mcp_servers TO agent_platform_app;
