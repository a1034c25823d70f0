// Operator commands on one tenant, audited as done by the system (actor label: the OS user running it).
//   npm run tenant -- plan <tenantId> <FREE|PRO|ENTERPRISE>
// Runs against DATABASE_URL, or the embedded database in DATA_DIR (stop the server first: PGlite is single-process).
import os from 'node:os'
import { ConfigError, loadConfig } from '../config.ts'
import { openDatabase } from '../db/client.ts'
import { createLogger } from '../logger.ts'
import { changePlan } from '../services/tenants.ts'

const plans = ['FREE', 'PRO', 'ENTERPRISE'] as const
const usage = 'usage: npm run tenant -- plan <tenantId> <FREE|PRO|ENTERPRISE>'
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

try {
  const [command, tenantId, plan] = process.argv.slice(2)
  if (command !== 'plan' || !tenantId || !plan) throw new ConfigError(usage)
  if (!uuid.test(tenantId)) throw new ConfigError(`${tenantId} is not a tenant id (a UUID)`)
  if (!plans.includes(plan as (typeof plans)[number])) throw new ConfigError(`plan must be one of ${plans.join(', ')}`)
  const config = loadConfig()
  const logger = createLogger(config)
  const db = await openDatabase(config, logger)
  try {
    const tenant = await changePlan({ db }, tenantId, plan as (typeof plans)[number], `operator:${os.userInfo().username}`)
    console.log(JSON.stringify({ tenantId: tenant.id, plan: tenant.plan }))
  } finally {
    await db.close()
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e)
  process.exitCode = 1
}
