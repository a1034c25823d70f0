// What the harness provides, and the test configuration built from it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { loadConfig, type Config } from '../../src/config.ts'

export const services = {
  postgresUrl: inject('postgresUrl'),
  postgresAdminUrl: inject('postgresAdminUrl'),
  postgresMissing: inject('postgresMissing'),
  redisUrl: inject('redisUrl'),
  redisBin: inject('redisBin'),
  redisMissing: inject('redisMissing'),
  databaseTarget: inject('databaseTarget'),
}

/** A fresh directory under the OS temp dir, removed by the caller (or left for the OS). */
export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `agent-platform-${prefix}-`))

/** Environment for a test app: the harness's PostgreSQL (or a fresh PGlite directory) and Redis when available. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const database = services.databaseTarget === 'postgres' ? { DATABASE_URL: services.postgresUrl } : { DATA_DIR: tempDir('data') }
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    // In-process requests share one (unknown) client IP; tests of the IP budget lower it again.
    AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    LOGIN_FAILURES_PER_ACCOUNT: '1000',
    SHUTDOWN_TIMEOUT_MS: '1000',
    // Request, field and WebSocket limits out of the way; the limit suites (tests/limits-http/) set their own.
    RATE_LIMIT_FREE_PER_MINUTE: '1000000',
    RATE_LIMIT_PRO_PER_MINUTE: '1000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    FIELD_RATE_LIMITS: 'Mutation.runAgent=100000/1m',
    WS_CONNECTIONS_PER_IP_PER_MINUTE: '1000000',
    WS_SUBSCRIBES_PER_MINUTE: '1000000',
    WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '100000',
    ...database,
    REDIS_URL: services.redisUrl,
    ...overrides,
  }
}

export const testConfig = (overrides: Record<string, string | undefined> = {}): Config => loadConfig(testEnv(overrides))

let isolated = 0
/**
 * Environment for an app with a database of its own: for tests where another app's workers (sharing the harness
 * database) must not claim this app's executions. Migrated at the app's boot. `postgres` asks for a PostgreSQL
 * database even when the suite runs on PGlite (several processes cannot share one PGlite).
 */
export async function isolatedDatabaseEnv(opts: { postgres?: boolean } = {}): Promise<Record<string, string | undefined>> {
  if (services.databaseTarget !== 'postgres' && !opts.postgres) return {} // every embedded test app has its own PGlite already
  const { createDatabase } = await import('../setup/services.ts')
  return { DATABASE_URL: await createDatabase(services.postgresAdminUrl!, `isolated_${process.pid}_${isolated++}_${Date.now()}`) }
}
