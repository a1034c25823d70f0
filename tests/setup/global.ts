// Vitest global setup: real PostgreSQL and Redis for the whole run (when their binaries exist), migrations applied
// once. TEST_DATABASE=pglite runs the database-backed suites against embedded PGlite instead.
import type { TestProject } from 'vitest/node'
import { migrateDeploy, MigratePgFactory } from '../../src/db/migrations.ts'
import { migrationsDir } from '../../src/db/client.ts'
import { createDatabase, postgresBinaries, redisBinary, startPostgres, startRedis, type Service } from './services.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a migrated database on a real PostgreSQL server, or undefined when PostgreSQL is unavailable. */
    postgresUrl: string | undefined
    /** Superuser URL of that server (to create more databases, roles). */
    postgresAdminUrl: string | undefined
    postgresMissing: string | undefined
    redisUrl: string | undefined
    redisBin: string | undefined
    redisMissing: string | undefined
    /** Where database-backed tests run: a real server, or embedded PGlite. */
    databaseTarget: 'postgres' | 'pglite'
  }
}

export default async function setup(project: TestProject) {
  const started: Service[] = []
  const pgBin = postgresBinaries()
  const redis = redisBinary()
  // In CI nothing may skip: a missing server is a failure there, not a reason to skip.
  const missing = ['missing' in pgBin && pgBin.missing, 'missing' in redis && redis.missing].filter(Boolean)
  if (process.env.CI_REQUIRE_SERVICES === '1' && missing.length) throw new Error(`CI_REQUIRE_SERVICES=1 but ${missing.join('; ')}`)
  let postgresUrl: string | undefined
  let postgresAdminUrl: string | undefined
  if ('bin' in pgBin) {
    const server = await startPostgres(pgBin.bin)
    started.push(server)
    postgresAdminUrl = server.url
    postgresUrl = await createDatabase(server.url, 'agent_platform_test')
    await migrateDeploy(new MigratePgFactory(postgresUrl), migrationsDir)
  } else {
    console.warn(`[test harness] PostgreSQL tests are skipped: ${pgBin.missing}`)
  }
  let redisUrl: string | undefined
  if ('bin' in redis) {
    const server = await startRedis(redis.bin)
    started.push(server)
    redisUrl = server.url
  } else {
    console.warn(`[test harness] Redis tests are skipped: ${redis.missing}`)
  }
  const databaseTarget = process.env.TEST_DATABASE === 'pglite' || !postgresUrl ? 'pglite' : 'postgres'
  if (databaseTarget === 'pglite') console.warn('[test harness] database-backed suites run on embedded PGlite')

  project.provide('postgresUrl', postgresUrl)
  project.provide('postgresAdminUrl', postgresAdminUrl)
  project.provide('postgresMissing', 'missing' in pgBin ? pgBin.missing : undefined)
  project.provide('redisUrl', redisUrl)
  project.provide('redisBin', 'bin' in redis ? redis.bin : undefined)
  project.provide('redisMissing', 'missing' in redis ? redis.missing : undefined)
  project.provide('databaseTarget', databaseTarget)

  return async () => {
    await Promise.all(started.map((s) => s.stop()))
  }
}
