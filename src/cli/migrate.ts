// Offline migrations (no engine download), same prisma/migrations format as the stock CLI:
//   npm run db:migration -- --name add_x      create a migration from a schema change (in-memory shadow database)
//   npm run db:migrate                        apply pending migrations to MIGRATION_DATABASE_URL / DATABASE_URL,
//                                             or to the embedded PGlite in DATA_DIR when neither is set
//   npm run db:check                          exit 2 when the schema has changes that no migration contains
//   npm run db:status                         migration history of the target database
//   node dist/cli/migrate.js resolve --applied|--rolled-back <name>
import { parseArgs } from 'node:util'
import path from 'node:path'
import { loadConfig } from '../config.ts'
import {
  dirPGlite, migrateCreate, migrateDeploy, migrateDiff, migrateResolve, migrateStatus, MigratePgFactory, MigratePGliteFactory,
} from '../db/migrations.ts'

const { values: o, positionals: [cmd, arg] } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    schema: { type: 'string', default: 'prisma/schema.prisma' },
    migrations: { type: 'string', default: 'prisma/migrations' },
    url: { type: 'string' },
    draft: { type: 'boolean' },
    applied: { type: 'boolean' },
    'rolled-back': { type: 'boolean' },
  },
})

async function withTarget<T>(fn: (f: MigratePgFactory | MigratePGliteFactory) => Promise<T>) {
  const config = loadConfig()
  const url = o.url ?? config.database.migrationUrl
  if (url) return fn(new MigratePgFactory(url))
  const db = await dirPGlite(path.join(config.database.dataDir, 'pglite'))
  try {
    return await fn(new MigratePGliteFactory(db))
  } finally {
    await db.close()
  }
}

try {
  if (cmd === 'create') {
    if (!o.name) throw new Error('--name is required')
    const dir = await migrateCreate(o.schema!, o.migrations!, o.name, { draft: o.draft })
    console.log(dir ? `Created ${o.migrations}/${dir}/migration.sql` : 'Already in sync, no migration created.')
  } else if (cmd === 'deploy') {
    const { appliedMigrationNames: n } = await withTarget((f) => migrateDeploy(f, o.migrations!))
    console.log(n.length ? `Applied ${n.length} migration(s):\n  ${n.join('\n  ')}` : 'No pending migrations to apply.')
  } else if (cmd === 'status') {
    const s = await withTarget((f) => migrateStatus(f, o.migrations!))
    console.log(JSON.stringify(s, null, 2))
    if (s.history || s.failedMigrationNames.length || s.editedMigrationNames.length) process.exitCode = 1
  } else if (cmd === 'diff') {
    const d = await migrateDiff(o.schema!, o.migrations!)
    if (d.inSync) console.log('Migrations match prisma/schema.prisma.')
    else {
      console.log('prisma/schema.prisma has changes no migration contains; run `npm run db:migration -- --name <name>`:')
      process.stdout.write(d.script)
      process.exitCode = 2
    }
  } else if (cmd === 'resolve' && arg && (o.applied || o['rolled-back'])) {
    await withTarget((f) => migrateResolve(f, o.migrations!, arg, o.applied ? 'applied' : 'rolled-back'))
    console.log(`Migration ${arg} marked as ${o.applied ? 'applied' : 'rolled back'}.`)
  } else {
    throw new Error('usage: migrate create --name N | deploy | status | diff | resolve --applied|--rolled-back N')
  }
} catch (e) {
  const err = e as Error & { code?: string }
  console.error(`Error${err.code ? ` ${err.code}` : ''}: ${err.message}`)
  process.exitCode = 1
}
