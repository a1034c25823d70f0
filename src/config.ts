// The only reader of process.env. Parsed once at start-up; a bad value stops the process with one line naming it.
import path from 'node:path'
import { z } from 'zod'
import pkg from '../package.json' with { type: 'json' }

const bool = (def: boolean) =>
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).default(def ? 'true' : 'false').transform((v) => ['true', '1', 'yes'].includes(v))
const int = (def: number, min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def)
const optionalString = z.string().trim().min(1).optional().catch(undefined)
const url = (protocols: string[]) =>
  z.string().trim().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol)
    } catch {
      return false
    }
  }, `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`)

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: int(4000, 0, 65535),
  HOST: optionalString,
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  MIGRATION_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DB_POOL_SIZE: int(10, 1, 500),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  MIGRATE_ON_BOOT: bool(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ALLOW_SIGNUP: bool(true),
  WORKERS: int(1, 0, 64),
})

export type Mode = 'embedded' | 'postgres'

export interface Config {
  env: 'production' | 'development'
  isProduction: boolean
  port: number
  host: string
  version: string
  database: {
    url?: string
    migrationUrl?: string
    dataDir: string
    poolSize: number
    migrateOnBoot: boolean
  }
  redis: { url?: string }
  log: { level: z.infer<typeof schema>['LOG_LEVEL'] }
  shutdownTimeoutMs: number
  auth: { jwtSecret?: string; allowSignUp: boolean }
  workers: number
}

export class ConfigError extends Error {}

/** Parses and validates the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset", as in most twelve-factor tooling.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(clean)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0])
    const shown = name.includes('SECRET') || name.includes('URL') ? '' : ` (got ${JSON.stringify(clean[name])})`
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`)
  }
  const e = parsed.data
  const isProduction = e.NODE_ENV === 'production'
  if (isProduction && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is required when NODE_ENV=production')
  }
  return {
    env: isProduction ? 'production' : 'development',
    isProduction,
    port: e.PORT,
    host: e.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    version: pkg.version,
    database: {
      url: e.DATABASE_URL,
      migrationUrl: e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
      dataDir: path.resolve(e.DATA_DIR),
      poolSize: e.DB_POOL_SIZE,
      migrateOnBoot: e.MIGRATE_ON_BOOT,
    },
    redis: { url: e.REDIS_URL },
    log: { level: e.LOG_LEVEL },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    auth: { jwtSecret: e.JWT_SECRET, allowSignUp: e.ALLOW_SIGNUP },
    workers: e.WORKERS,
  }
}

export const modeOf = (config: Config): { database: Mode; redis: 'redis' | 'memory' } => ({
  database: config.database.url ? 'postgres' : 'embedded',
  redis: config.redis.url ? 'redis' : 'memory',
})

/** For the few decisions taken at module load, before loadConfig runs (e.g. schema-builder strictness). */
export const isProductionProcess = process.env.NODE_ENV === 'production'
