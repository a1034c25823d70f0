-- AlterTable
ALTER TABLE "tools" ADD COLUMN     "header_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "headers_sealed" TEXT;
