// Used only by the stock Prisma CLI (`npm run prisma -- …`); the app and our migration runner read src/config.ts.
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://localhost:5432/agent_platform' },
})
