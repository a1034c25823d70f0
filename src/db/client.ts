// Opens the database for the configured mode: PostgreSQL through @prisma/adapter-pg, or an embedded PGlite persisted
// under DATA_DIR. Applies pending migrations at boot (the engine serialises concurrent deploys with an advisory lock).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { dirPGlite, migrateDeploy, MigratePgFactory, MigratePGliteFactory } from './migrations.ts'

export const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url))

export interface Database {
  prisma: PrismaClient
  mode: 'embedded' | 'postgres'
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** Connects (and migrates, unless disabled) according to config. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const { url, migrationUrl, migrateOnBoot, poolSize, dataDir } = config.database
  if (url) {
    if (migrateOnBoot) await logMigrations(logger, migrateDeploy(new MigratePgFactory(migrationUrl ?? url), migrationsDir))
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) })
    return {
      prisma,
      mode: 'postgres',
      ping: async () => void (await prisma.$queryRaw`SELECT 1`),
      close: () => prisma.$disconnect(),
    }
  }
  const dir = path.join(dataDir, 'pglite')
  const releaseLock = lockDataDir(dir)
  let lite: PGlite
  try {
    lite = await dirPGlite(dir)
    if (migrateOnBoot) await logMigrations(logger, migrateDeploy(new MigratePGliteFactory(lite), migrationsDir))
  } catch (e) {
    releaseLock()
    throw e
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) })
  return {
    prisma,
    mode: 'embedded',
    ping: async () => void (await lite.query('SELECT 1')),
    close: async () => {
      await prisma.$disconnect()
      await lite.close()
      releaseLock()
    },
  }
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
