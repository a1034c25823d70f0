// The offline migration runner on PostgreSQL and PGlite, including the upstream bugs it works around, and the stock
// Prisma CLI through the schema-engine shim.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { migrationsDir } from '../../src/db/client.ts'
import {
  dirPGlite, memoryPGlite, migrateCreate, migrateDeploy, migrateDeployAtBoot, migrateDiff, migrateStatus, migrationsUpToDate, MigratePgFactory,
  MigratePGliteFactory,
} from '../../src/db/migrations.ts'
import { createDatabase } from '../setup/services.ts'
import { services, tempDir } from '../helpers/env.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const migrationNames = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()

/** A copy of prisma/migrations plus extra hand-written migrations, in a temp dir. */
function migrationsWith(extra: Record<string, string>) {
  const dir = tempDir('migrations')
  fs.cpSync(migrationsDir, dir, { recursive: true })
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name))
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql)
  }
  return dir
}

const fnMigration = `CREATE FUNCTION tool_count(t uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM tools WHERE tenant_id = t;
  RETURN n;
END;
$$;`
const brokenMigration = 'CREATE TABLE half_done (id int);\nSELECT * FROM does_not_exist;\n'

let dbCounter = 0
const freshPgDatabase = () => createDatabase(services.postgresAdminUrl!, `migrations_${process.pid}_${dbCounter++}`)

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query(sql)).rows as T[]
  } finally {
    await c.end()
  }
}

describe('migrations match the Prisma schema', () => {
  it('produce exactly prisma/schema.prisma (the check behind `npm run db:check`)', async () => {
    const { inSync, script } = await migrateDiff(path.join(root, 'prisma/schema.prisma'), migrationsDir)
    expect(script).not.toMatch(/CREATE|ALTER|DROP/)
    expect(inSync).toBe(true)
  })

  it('`npm run db:migration` creates a migration for a schema change, and none when in sync', async () => {
    const dir = migrationsWith({})
    const schema = path.join(tempDir('schema'), 'schema.prisma')
    fs.copyFileSync(path.join(root, 'prisma/schema.prisma'), schema)
    expect(await migrateCreate(schema, dir, 'noop')).toBeNull()
    fs.appendFileSync(schema, '\nmodel Scratch {\n  id Int @id\n  @@map("scratch")\n}\n')
    const created = await migrateCreate(schema, dir, 'add_scratch')
    expect(created).toMatch(/^\d{14}_add_scratch$/)
    expect(fs.readFileSync(path.join(dir, created!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "scratch"')
    expect((await migrateDiff(schema, dir)).inSync).toBe(true)
  })
})

describe('migrations on PGlite', () => {
  it('apply to a fresh data directory once, then are a no-op', async () => {
    const db = await dirPGlite(path.join(tempDir('pglite'), 'pglite'))
    try {
      const factory = new MigratePGliteFactory(db)
      expect((await migrateDeploy(factory, migrationsDir)).appliedMigrationNames).toEqual(migrationNames)
      expect((await migrateDeploy(factory, migrationsDir)).appliedMigrationNames).toEqual([])
      const status = await migrateStatus(factory, migrationsDir)
      expect(status.failedMigrationNames).toEqual([])
    } finally {
      await db.close()
    }
  })

  it('run $$ function bodies and record a failing migration as failed (upstream executeScript bug)', async () => {
    const db = await memoryPGlite()
    try {
      const factory = new MigratePGliteFactory(db)
      await migrateDeploy(factory, migrationsWith({ '29990101000000_fn': fnMigration }))
      expect((await db.query<{ n: number }>("SELECT tool_count(gen_random_uuid())::int AS n")).rows[0]!.n).toBe(0)
      const broken = migrationsWith({ '29990101000000_fn': fnMigration, '29990102000000_broken': brokenMigration })
      await expect(migrateDeploy(factory, broken)).rejects.toThrow(/does_not_exist/)
      const rows = await db.query<{ name: string; finished: boolean }>(
        "SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE migration_name LIKE '%broken'")
      expect(rows.rows).toEqual([{ name: '29990102000000_broken', finished: false }])
    } finally {
      await db.close()
    }
  })
})

describe('migrations at boot', () => {
  it('skip the engine only when the history records every local migration, unchanged, and nothing else', async () => {
    const db = await memoryPGlite()
    try {
      const factory = new MigratePGliteFactory(db)
      // A new database has no history table: the engine creates it and applies everything.
      expect(await migrationsUpToDate(factory, migrationsDir)).toBe(false)
      expect((await migrateDeployAtBoot(factory, migrationsDir)).appliedMigrationNames).toEqual(migrationNames)
      expect(await migrationsUpToDate(factory, migrationsDir)).toBe(true)
      expect((await migrateDeployAtBoot(factory, migrationsDir)).appliedMigrationNames).toEqual([])

      // A new local migration is pending: applied by the engine, and only it.
      const withFn = migrationsWith({ '29990101000000_fn': fnMigration })
      expect(await migrationsUpToDate(factory, withFn)).toBe(false)
      expect((await migrateDeployAtBoot(factory, withFn)).appliedMigrationNames).toEqual(['29990101000000_fn'])
      expect(await migrationsUpToDate(factory, withFn)).toBe(true)

      // An applied migration unknown here (an older build) or edited after it was applied: the engine decides.
      expect(await migrationsUpToDate(factory, migrationsDir)).toBe(false)
      const edited = migrationsWith({ '29990101000000_fn': `${fnMigration}\n-- edited` })
      expect(await migrationsUpToDate(factory, edited)).toBe(false)

      // A failed migration in the history: the engine refuses to go on, as it would without the shortcut.
      const broken = migrationsWith({ '29990101000000_fn': fnMigration, '29990102000000_broken': brokenMigration })
      await expect(migrateDeployAtBoot(factory, broken)).rejects.toThrow(/does_not_exist/)
      expect(await migrationsUpToDate(factory, broken)).toBe(false)
      expect(await migrationsUpToDate(factory, withFn)).toBe(false)
      await expect(migrateDeployAtBoot(factory, broken)).rejects.toThrow()
    } finally {
      await db.close()
    }
  })

  it.skipIf(!services.postgresUrl)('on PostgreSQL, read the history on a connection they close again', async () => {
    const url = await freshPgDatabase()
    const factory = new MigratePgFactory(url)
    const boots = await Promise.all([1, 2, 3].map(() => migrateDeployAtBoot(factory, migrationsDir)))
    expect(boots.flatMap((r) => r.appliedMigrationNames).sort()).toEqual(migrationNames)
    expect(await migrationsUpToDate(factory, migrationsDir)).toBe(true)
    expect((await migrateDeployAtBoot(factory, migrationsDir)).appliedMigrationNames).toEqual([])
    const left = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
    expect(left[0]!.n).toBe(0)
  })
})

describe.skipIf(!services.postgresUrl)('migrations on PostgreSQL', () => {
  it('serialise concurrent deploys (boot of several processes) and apply each migration once', async () => {
    const url = await freshPgDatabase()
    const results = await Promise.all([1, 2, 3].map(() => migrateDeploy(new MigratePgFactory(url), migrationsDir)))
    expect(results.flatMap((r) => r.appliedMigrationNames).sort()).toEqual(migrationNames)
    const rows = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL')
    expect(rows[0]!.n).toBe(migrationNames.length)
    // The engine's adapters are disposed: no connection to the database lingers after a deploy.
    const left = await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
    expect(left[0]!.n).toBe(0)
  })

  it('run $$ bodies in one atomic script and leave nothing of a failed migration (upstream adapter-pg bug)', async () => {
    const url = await freshPgDatabase()
    const factory = new MigratePgFactory(url)
    await migrateDeploy(factory, migrationsWith({ '29990101000000_fn': fnMigration }))
    expect((await query<{ n: number }>(url, 'SELECT tool_count(gen_random_uuid())::int AS n'))[0]!.n).toBe(0)
    const broken = migrationsWith({ '29990101000000_fn': fnMigration, '29990102000000_broken': brokenMigration })
    await expect(migrateDeploy(factory, broken)).rejects.toThrow(/does_not_exist/)
    expect(await query(url, "SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([])
    const status = await migrateStatus(factory, broken)
    expect(status.failedMigrationNames).toEqual(['29990102000000_broken'])
  })

  it('give the server shadow database its own database and drop it afterwards (upstream adapter-pg bug)', async () => {
    const url = await freshPgDatabase()
    const shadow = await new MigratePgFactory(url).connectToShadowDb()
    const name = (await shadow.queryRaw({ sql: 'SELECT current_database() AS db', args: [], argTypes: [] })).rows[0]![0]
    expect(name).toMatch(/^prisma_migrate_shadow_db_/)
    await shadow.dispose()
    expect(await query(url, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).toEqual([])
  })

  it('work through the stock Prisma CLI with the schema-engine shim, offline', async () => {
    const url = await freshPgDatabase()
    const env = { ...process.env, DATABASE_URL: url, MIGRATION_DATABASE_URL: url }
    const prisma = (...args: string[]) => run(process.execPath, ['ops/scripts/prisma.mjs', ...args], { cwd: root, env })
    expect((await prisma('migrate', 'deploy')).stdout).toMatch(/successfully applied/)
    expect((await prisma('migrate', 'status')).stdout).toMatch(/up to date/)
    // Introspects the live database (exercises the "char" column workaround); exits non-zero on any difference.
    const diff = await prisma('migrate', 'diff', '--from-config-datasource', '--to-schema', 'prisma/schema.prisma', '--exit-code')
    expect(diff.stdout).toMatch(/No difference detected/)
  })

  it('`npm run db:migrate` applies to DATABASE_URL and exits on its own', async () => {
    const url = await freshPgDatabase()
    const { stdout } = await run('npm', ['run', '--silent', 'db:migrate'], { cwd: root, env: { ...process.env, DATABASE_URL: url, MIGRATION_DATABASE_URL: '' }, timeout: 25_000 })
    expect(stdout).toContain(`Applied ${migrationNames.length} migration(s)`)
  })
})
