-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "redact_pii" BOOLEAN NOT NULL DEFAULT false;
