// Opens the database for the configured mode: PostgreSQL through @prisma/adapter-pg, or an embedded PGlite persisted
// under DATA_DIR. Applies pending migrations at boot (the engine serialises concurrent deploys with an advisory lock;
// it is not even loaded when the history says every migration is applied).
import fs from 'node:fs'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import type { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.ts'
import { projectRoot, type Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { dirPGlite, migrateDeployAtBoot, MigratePgFactory, MigratePGliteFactory } from './migrations.ts'
import { shareReads, tenantDbCache, type TenantDb } from './scope.ts'
import { connectWithBaselineCompiler } from './query-compiler.ts'
import { sendSettingsWithBegin } from './settings-on-begin.ts'
import { tracedAdapterFactory } from './traced-adapter.ts'
import { tracingEnabled } from '../telemetry.ts'

export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations')

export interface Database {
  /** Unscoped client: only for the scoping module, the authentication path and the worker's claim. */
  prisma: PrismaClient
  mode: 'embedded' | 'postgres'
  /** The tenant-scoped access path (see scope.ts); the only way services reach tenant-owned data. */
  forTenant(tenantId: string): TenantDb
  /** Runs one query operation of `tenantId` with its tenant-scoped reads in one read-only transaction (where supported). */
  shareReads<T>(tenantId: string, fn: () => Promise<T>): Promise<T>
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  /** Connection pool usage (metrics): PostgreSQL's pool, or PGlite's single session. */
  poolStats(): { total: number; idle: number; waiting: number; max: number }
  close(): Promise<void>
}

/** Connects (and migrates, unless disabled) according to config. */
export interface DatabaseOptions {
  /** Layer (a) of tenant isolation; switched off only by the isolation tests to prove layer (b) alone. */
  tenantFilter?: boolean
  /** Called with every SQL statement sent (tests count statements to catch N+1 queries); off when absent. */
  onQuery?: (sql: string) => void
}

export async function openDatabase(config: Config, logger: Logger, opts: DatabaseOptions = {}): Promise<Database> {
  const filter = { filter: opts.tenantFilter ?? true }
  const { url, migrationUrl, migrateOnBoot, poolSize, dataDir } = config.database
  if (url) {
    if (migrateOnBoot) await logMigrations(logger, migrateDeployAtBoot(new MigratePgFactory(migrationUrl ?? url), migrationsDir))
    // `-c role=…` is SET ROLE at session start: every pooled connection runs as the restricted role.
    const options = config.database.role ? `-c role=${config.database.role}` : undefined
    // Our own pool (the adapter ends it on disconnect) so its usage can be reported.
    const pool = new pg.Pool({ connectionString: url, max: poolSize, options })
    // A connection the server ends (restart, failover) emits 'error'; while checked out it has no listener of the
    // pool's, and an unhandled 'error' event kills the process (seen in a PostgreSQL restart under load). The query in
    // flight fails on its own and the pool drops the broken connection when it is released.
    pool.on('error', (err) => logger.warn({ err }, 'idle database connection lost'))
    pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err }, 'database connection lost')))
    const prisma = createClient(new PrismaPg(sendSettingsWithBegin(pool), { disposeExternalPool: true }), opts.onQuery)
    await connectWithBaselineCompiler(prisma)
    await warnIfRlsBypassed(prisma, logger)
    return {
      prisma,
      mode: 'postgres',
      forTenant: tenantDbCache(prisma, { ...filter, shareReads: true }),
      shareReads,
      ping: async () => void (await prisma.$queryRaw`SELECT 1`),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolSize }),
      close: () => prisma.$disconnect(),
    }
  }
  const dir = path.join(dataDir, 'pglite')
  const releaseLock = lockDataDir(dir)
  let lite: PGlite
  try {
    lite = await dirPGlite(dir)
    if (migrateOnBoot) await logMigrations(logger, migrateDeployAtBoot(new MigratePGliteFactory(lite), migrationsDir))
  } catch (e) {
    releaseLock()
    throw e
  }
  // PGlite's single session runs as the restricted role too, so row-level security holds in embedded mode.
  if (config.database.role) await lite.exec(`SET ROLE ${config.database.role}`)
  // Loaded here only: service mode never needs it (nor PGlite behind it).
  const { PrismaPGlite } = await import('pglite-prisma-adapter')
  const prisma = createClient(new PrismaPGlite(lite), opts.onQuery)
  await connectWithBaselineCompiler(prisma)
  await warnIfRlsBypassed(prisma, logger)
  return {
    prisma,
    mode: 'embedded',
    forTenant: tenantDbCache(prisma, filter),
    shareReads: (_tenantId, fn) => fn(),
    ping: async () => void (await lite.query('SELECT 1')),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0, max: 1 }),
    close: async () => {
      await prisma.$disconnect()
      await lite.close()
      releaseLock()
    },
  }
}

// PGlite serialises transactions on its one connection, so waiting for one can take a while under load.
const transactionOptions = { maxWait: 10_000, timeout: 15_000 }

/** The client, emitting each statement to `onQuery` when given (query events cost nothing when nobody listens). */
function createClient(factory: PrismaPg | PrismaPGlite, onQuery?: (sql: string) => void): PrismaClient {
  const adapter = tracingEnabled() ? tracedAdapterFactory(factory) : factory
  if (!onQuery) return new PrismaClient({ adapter, transactionOptions })
  const client = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] })
  client.$on('query', (e) => onQuery(e.query))
  return client as unknown as PrismaClient
}

/** Row-level security is the second isolation layer: say loudly when the connection's role bypasses it. */
async function warnIfRlsBypassed(prisma: PrismaClient, logger: Logger) {
  const [role] = await prisma.$queryRaw<{ name: string; bypass: boolean }[]>`
    SELECT current_user AS name, rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`
  if (role?.bypass) logger.warn({ role: role.name }, 'database role bypasses row-level security: tenant isolation relies on the application layer alone (set DATABASE_ROLE)')
}

async function logMigrations(logger: Logger, run: Promise<{ appliedMigrationNames: string[] }>) {
  const { appliedMigrationNames } = await run
  if (appliedMigrationNames.length) logger.info({ migrations: appliedMigrationNames }, 'applied database migrations')
}

/** PGlite is single-process: a second server on the same directory would corrupt it, so refuse to start. */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true })
  const lock = path.join(path.dirname(dir), 'pglite.lock')
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
  } catch {
    const holder = Number(fs.readFileSync(lock, 'utf8'))
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(`${path.dirname(dir)} is in use by process ${holder}; set DATA_DIR to another directory or DATABASE_URL`)
    }
    fs.writeFileSync(lock, String(process.pid))
  }
  return () => fs.rmSync(lock, { force: true })
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
