// Audit retention: deletes audit entries older than AUDIT_RETENTION_DAYS (or --days N) for every tenant.
//   node dist/cli/audit-purge.js [--days N]      (npm run audit:purge)
// Runs against DATABASE_URL, or the embedded database in DATA_DIR (stop the server first: PGlite is single-process).
// Pending migrations are applied first, as at server start (MIGRATE_ON_BOOT).
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../db/client.ts'
import { createLogger } from '../logger.ts'
import { purgeAuditLog } from '../services/audit-log.ts'

const { values } = parseArgs({ options: { days: { type: 'string' } } })

try {
  const config = loadConfig()
  const days = values.days === undefined ? config.audit.retentionDays : Number(values.days)
  if (!Number.isInteger(days) || days < 1) throw new ConfigError('--days must be a whole number of days, at least 1')
  const logger = createLogger(config)
  const db = await openDatabase(config, logger)
  try {
    const purged = await purgeAuditLog({ db, config }, days)
    logger.info({ purged, retentionDays: days }, 'purged expired audit entries')
  } finally {
    await db.close()
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
}
