// The only reader of process.env. Parsed once at start-up; a bad value stops the process with one line naming it.
import path from 'node:path'
import { z } from 'zod'
import pkg from '../package.json' with { type: 'json' }

const bool = (def: boolean) =>
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).default(def ? 'true' : 'false').transform((v) => ['true', '1', 'yes'].includes(v))
const int = (def: number, min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def)
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]
/** A positive integer, or `unlimited` (also `0`), which becomes null. */
const unlimitedOr = (def: number) =>
  z.string().default(String(def)).transform((v, ctx) => {
    if (v === 'unlimited' || v === '0') return null
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n < 1) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive integer or `unlimited`' })
      return z.NEVER
    }
    return n
  })
const optionalString = z.string().trim().min(1).optional().catch(undefined)
const url = (protocols: string[]) =>
  z.string().trim().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol)
    } catch {
      return false
    }
  }, `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`)

/** A JSON Web Key Set (`{"keys":[…]}` or a bare array) whose keys all carry `kid` and `alg`. */
const jwkSet = (kind: 'private' | 'public') =>
  z.string().transform((v, ctx) => {
    try {
      const parsed = JSON.parse(v) as unknown
      const keys = (Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys) as Record<string, unknown>[] | undefined
      if (!Array.isArray(keys) || !keys.length) throw new Error('no keys')
      for (const k of keys) {
        if (typeof k.kid !== 'string' || !['RS256', 'PS256', 'ES256', 'EdDSA'].includes(k.alg as string)) throw new Error('kid/alg')
        if (kind === 'private' && typeof k.d !== 'string') throw new Error('not private')
      }
      return keys
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a JSON Web Key Set of ${kind} keys, each with kid and alg (RS256, PS256, ES256 or EdDSA)` })
      return z.NEVER
    }
  })

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
  LOG_LEVEL: z.enum(logLevels).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  DATABASE_ROLE: z.string().trim().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL role name or "none"').default('agent_platform_app'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PRIVATE_KEYS: jwkSet('private').optional(),
  JWT_PUBLIC_KEYS: jwkSet('public').optional(),
  JWT_ISSUER: z.string().trim().min(1).default('agent-platform'),
  JWT_AUDIENCE: z.string().trim().min(1).default('agent-platform-api'),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 5, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: int(30 * 86_400, 300, 365 * 86_400),
  API_KEY_ROTATION_GRACE_SECONDS: int(86_400, 0, 30 * 86_400),
  INVITATION_TTL_SECONDS: int(7 * 86_400, 300, 90 * 86_400),
  PASSWORD_MIN_LENGTH: int(12, 8, 128),
  ALLOW_SIGNUP: bool(true),
  AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: int(20, 1, 100_000),
  LOGIN_FAILURES_PER_ACCOUNT: int(10, 1, 10_000),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 10, 86_400),
  REDIS_UNAVAILABLE: z.enum(['fail-closed', 'fail-open']).default('fail-closed'),
  WS_AUTH_RECHECK_SECONDS: int(15, 1, 3_600),
  PAGE_SIZE_DEFAULT: int(20, 1, 1_000),
  PAGE_SIZE_MAX: int(100, 1, 1_000),
  TRUST_PROXY_HOPS: int(0, 0, 10),
  MODEL_ALLOWLIST: z.string().default('mock-1').transform((v) => v.split(',').map((m) => m.trim()).filter(Boolean))
    .refine((l) => l.length > 0, 'must name at least one model'),
  LLM_OPENAI_BASE_URL: url(['http:', 'https:']).optional(),
  LLM_OPENAI_API_KEY: z.string().min(1).optional(),
  LLM_MODEL_MAP: z.string().transform((v, ctx) => {
    try {
      const m = JSON.parse(v) as unknown
      if (!m || typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((x) => typeof x !== 'string')) throw new Error()
      return m as Record<string, string>
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object mapping model names to provider model names' })
      return z.NEVER
    }
  }).optional(),
  LLM_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: bool(false),
  HTTP_TOOLS_ALLOW_INSECURE: bool(false),
  HTTP_TOOL_TIMEOUT_MS: int(10_000, 100, 120_000),
  HTTP_TOOL_MAX_RESPONSE_BYTES: int(1_048_576, 1_024, 64 * 1_048_576),
  WORKERS: int(1, 0, 64),
  PROMPT_MAX_CHARS: int(32_000, 100, 1_000_000),
  WORKER_POLL_MS: int(1_000, 50, 60_000),
  WORKER_HEARTBEAT_MS: int(1_000, 100, 60_000),
  WORKER_STALE_MS: int(15_000, 1_000, 3_600_000),
  WORKER_MAX_ATTEMPTS: int(3, 1, 20),
  WORKER_RETRY_BASE_MS: int(1_000, 10, 600_000),
  WORKER_RETRY_MAX_MS: int(60_000, 10, 3_600_000),
  SUBSCRIPTION_POLL_MS: int(1_000, 50, 60_000),
  SUBSCRIPTION_MAX_LAG: int(10_000, 10, 10_000_000),
  WS_STALL_BYTES: int(4 * 1_048_576, 1_024, 1_073_741_824),
  WS_STALL_MS: int(10_000, 100, 600_000),
  SYSTEM_PROMPT_MAX_LENGTH: int(20_000, 100, 1_000_000),
  AUDIT_RETENTION_DAYS: int(365, 1, 36_500),
  LOG_LEVELS: z.string().default('').transform((v, ctx) => {
    const levels: Record<string, LogLevel> = {}
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [name, level] = part.split('=').map((s) => s.trim())
      if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !logLevels.includes(level as LogLevel)) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of module=level (level one of ${logLevels.join(', ')})` })
        return z.NEVER
      }
      levels[name] = level as LogLevel
    }
    return levels
  }),
  LOG_REDACT_FIELDS: z.string().default('email').transform((v) => v.split(',').map((f) => f.trim()).filter(Boolean)),
  RATE_LIMITS_ENABLED: bool(true),
  RATE_LIMIT_FREE_PER_MINUTE: int(100, 1, 10_000_000),
  RATE_LIMIT_PRO_PER_MINUTE: int(1_000, 1, 10_000_000),
  RATE_LIMIT_ENTERPRISE_PER_MINUTE: unlimitedOr(10_000),
  RATE_LIMIT_TENANT_MULTIPLIER: int(10, 0, 10_000),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: int(60, 1, 10_000_000),
  FIELD_RATE_LIMITS: z.string().default('Mutation.runAgent=10/1m').transform((v, ctx) => {
    const rules: FieldRateLimit[] = []
    if (v.trim() === 'none') return rules
    for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([A-Z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)=(\d+)\/(\d+)(s|m|h)?$/.exec(part)
      const max = Number(m?.[3])
      const windowMs = Number(m?.[4]) * ({ s: 1_000, m: 60_000, h: 3_600_000 }[m?.[5] ?? 's'] ?? 1_000)
      if (!m || !(max >= 1) || !(windowMs >= 1_000) || windowMs > 86_400_000) {
        ctx.addIssue({ code: 'custom', message: 'must be `none` or a comma-separated list of Type.field=MAX/WINDOW (e.g. Mutation.runAgent=10/1m; window in s, m or h, 1 s to 24 h)' })
        return z.NEVER
      }
      rules.push({ type: m[1]!, field: m[2]!, max, windowMs })
    }
    return rules
  }),
  PLAN_CACHE_SECONDS: int(30, 0, 3_600),
  WS_CONNECTIONS_PER_IP_PER_MINUTE: int(60, 1, 1_000_000),
  WS_SUBSCRIBES_PER_MINUTE: int(120, 1, 1_000_000),
  WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: int(25, 1, 100_000),
  WS_MAX_MESSAGE_BYTES: int(1_048_576, 1_024, 64 * 1_048_576),
  QUERY_MAX_DEPTH: int(10, 1, 100),
  QUERY_MAX_ALIASES: int(15, 0, 10_000),
  QUERY_MAX_TOKENS: int(2_000, 10, 1_000_000),
  QUERY_MAX_DIRECTIVES: int(50, 0, 10_000),
  QUERY_MAX_COST: int(10_000, 1, 100_000_000),
  QUERY_MAX_STRING_LENGTH: int(100_000, 16, 64 * 1_048_576),
  GRAPHQL_BATCH_LIMIT: int(0, 0, 100),
  REQUEST_MAX_BODY_BYTES: int(1_048_576, 1_024, 64 * 1_048_576),
  QUOTA_FREE_EXECUTIONS_PER_MONTH: int(1_000, 0),
  QUOTA_FREE_TOKENS_PER_MONTH: int(1_000_000, 0),
  QUOTA_PRO_EXECUTIONS_PER_MONTH: int(50_000, 0),
  QUOTA_PRO_TOKENS_PER_MONTH: int(50_000_000, 0),
  QUOTA_ENTERPRISE_EXECUTIONS_PER_MONTH: int(0, 0),
  QUOTA_ENTERPRISE_TOKENS_PER_MONTH: int(0, 0),
  CORS_ORIGINS: z.string().default('').transform((v, ctx) => {
    const origins = v.split(',').map((o) => o.trim()).filter(Boolean)
    for (const o of origins) {
      if (o === '*') continue
      try {
        const u = new URL(o)
        if (!['http:', 'https:'].includes(u.protocol) || u.origin !== o) throw new Error()
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be `*` or a comma-separated list of origins such as https://app.example.com (scheme, host and port only)' })
        return z.NEVER
      }
    }
    return origins
  }),
  HSTS_MAX_AGE_SECONDS: int(31_536_000, 0, 63_072_000),
  METRICS_ENABLED: bool(true),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('agent-platform-api'),
})

export type Mode = 'embedded' | 'postgres'
export type Plan = 'FREE' | 'PRO' | 'ENTERPRISE'

/** A field-level rate limit (`FIELD_RATE_LIMITS`), applied per principal (or client IP when anonymous). */
export interface FieldRateLimit {
  type: string
  field: string
  max: number
  windowMs: number
}

/** A monthly quota; null means unlimited. */
export interface PlanQuota {
  executionsPerMonth: number | null
  tokensPerMonth: number | null
}

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
    /** Role the application switches to (SET ROLE) so row-level security applies; undefined = none. */
    role?: string
  }
  redis: { url?: string; onUnavailable: 'fail-closed' | 'fail-open' }
  log: {
    level: LogLevel
    /** Per-module overrides (`LOG_LEVELS=ws=debug,operations=warn`). */
    modules: Record<string, LogLevel>
    /** Extra field names (PII) whose values never reach a log line, at any depth. */
    redactFields: string[]
  }
  shutdownTimeoutMs: number
  auth: {
    jwtSecret?: string
    /** Asymmetric signing keys (JWK, private); the first signs, all verify. */
    privateKeys: Record<string, unknown>[]
    /** Retired public keys that still verify tokens until they expire. */
    publicKeys: Record<string, unknown>[]
    issuer: string
    audience: string
    /** Seconds. */
    accessTokenTtl: number
    refreshTokenTtl: number
    apiKeyRotationGrace: number
    invitationTtl: number
    passwordMinLength: number
    allowSignUp: boolean
    ipRatePerMinute: number
    loginFailuresPerAccount: number
    loginFailureWindow: number
    wsRecheckSeconds: number
  }
  pagination: { defaultSize: number; maxSize: number }
  workers: number
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are trusted (0 = use the socket address). */
  trustProxyHops: number
  llm: {
    allowlist: string[]
    openAi?: { baseUrl: string; apiKey?: string; modelMap?: Record<string, string>; timeoutMs: number }
  }
  httpTools: { allowPrivateNetworks: boolean; allowInsecureHttp: boolean; timeoutMs: number; maxResponseBytes: number }
  runs: { promptMaxChars: number }
  worker: { pollMs: number; heartbeatMs: number; staleMs: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number }
  subscriptions: { pollMs: number; maxLag: number; stallBytes: number; stallMs: number }
  /** Limits of agent configuration (characters). */
  agents: { systemPromptMaxLength: number }
  /** Audit entries older than `retentionDays` are purged (worker loop or `ops/scripts/audit-purge.ts`). */
  audit: { retentionDays: number }
  limits: {
    /** Master switch of the request, field and WebSocket rate limits (benchmarks, emergencies). */
    enabled: boolean
    /** Requests per principal per minute by plan; null = unlimited. */
    perMinute: Record<Plan, number | null>
    /** A tenant's budget is its plan's per-principal limit times this (0 = no tenant-wide limit). */
    tenantMultiplier: number
    /** Requests per client IP per minute for callers without credentials. */
    anonymousPerMinute: number
    fields: FieldRateLimit[]
    /** How long a tenant's plan is cached per process (ms). */
    planCacheMs: number
    ws: { connectionsPerIpPerMinute: number; subscribesPerMinute: number; maxSubscriptionsPerPrincipal: number; maxMessageBytes: number }
  }
  queryLimits: {
    maxDepth: number
    maxAliases: number
    maxTokens: number
    maxDirectives: number
    maxCost: number
    maxStringLength: number
    /** Operations per batched HTTP request; 0 = batching disabled. */
    batchLimit: number
    maxBodyBytes: number
  }
  quotas: Record<Plan, PlanQuota>
  http: {
    /** Allowed CORS origins; `['*']` = any origin without credentials; empty = no cross-origin access. */
    corsOrigins: string[]
    /** HSTS max-age sent on requests that arrived over TLS (0 = no HSTS). */
    hstsMaxAge: number
  }
  metrics: { enabled: boolean; token?: string }
  tracing: { otlpEndpoint?: string; serviceName: string }
}

export class ConfigError extends Error {}

/** For entry points: the configuration, or the one-line reason on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig()
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    console.error(e.message)
    process.exit(1)
  }
}

/** Parses and validates the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset", as in most twelve-factor tooling.
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(clean)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0])
    const shown = /SECRET|URL|KEY|TOKEN|ENDPOINT/.test(name) ? '' : ` (got ${JSON.stringify(clean[name])})`
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`)
  }
  const e = parsed.data
  const isProduction = e.NODE_ENV === 'production'
  if (isProduction && !e.JWT_SECRET && !e.JWT_PRIVATE_KEYS) {
    throw new ConfigError('Invalid configuration: JWT_SECRET (or JWT_PRIVATE_KEYS) is required when NODE_ENV=production')
  }
  if (e.PAGE_SIZE_DEFAULT > e.PAGE_SIZE_MAX) {
    throw new ConfigError('Invalid configuration: PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX')
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
      role: e.DATABASE_ROLE === 'none' ? undefined : e.DATABASE_ROLE,
    },
    redis: { url: e.REDIS_URL, onUnavailable: e.REDIS_UNAVAILABLE },
    log: { level: e.LOG_LEVEL, modules: e.LOG_LEVELS, redactFields: e.LOG_REDACT_FIELDS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    auth: {
      jwtSecret: e.JWT_SECRET,
      privateKeys: e.JWT_PRIVATE_KEYS ?? [],
      publicKeys: e.JWT_PUBLIC_KEYS ?? [],
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTokenTtl: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtl: e.REFRESH_TOKEN_TTL_SECONDS,
      apiKeyRotationGrace: e.API_KEY_ROTATION_GRACE_SECONDS,
      invitationTtl: e.INVITATION_TTL_SECONDS,
      passwordMinLength: e.PASSWORD_MIN_LENGTH,
      allowSignUp: e.ALLOW_SIGNUP,
      ipRatePerMinute: e.AUTH_RATE_LIMIT_PER_IP_PER_MINUTE,
      loginFailuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      loginFailureWindow: e.LOGIN_FAILURE_WINDOW_SECONDS,
      wsRecheckSeconds: e.WS_AUTH_RECHECK_SECONDS,
    },
    pagination: { defaultSize: e.PAGE_SIZE_DEFAULT, maxSize: e.PAGE_SIZE_MAX },
    workers: e.WORKERS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    llm: {
      allowlist: e.MODEL_ALLOWLIST,
      openAi: e.LLM_OPENAI_BASE_URL
        ? { baseUrl: e.LLM_OPENAI_BASE_URL, apiKey: e.LLM_OPENAI_API_KEY, modelMap: e.LLM_MODEL_MAP, timeoutMs: e.LLM_TIMEOUT_MS }
        : undefined,
    },
    httpTools: {
      allowPrivateNetworks: e.HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS,
      allowInsecureHttp: e.HTTP_TOOLS_ALLOW_INSECURE,
      timeoutMs: e.HTTP_TOOL_TIMEOUT_MS,
      maxResponseBytes: e.HTTP_TOOL_MAX_RESPONSE_BYTES,
    },
    runs: { promptMaxChars: e.PROMPT_MAX_CHARS },
    worker: {
      pollMs: e.WORKER_POLL_MS, heartbeatMs: e.WORKER_HEARTBEAT_MS, staleMs: e.WORKER_STALE_MS, maxAttempts: e.WORKER_MAX_ATTEMPTS,
      retryBaseMs: e.WORKER_RETRY_BASE_MS, retryMaxMs: e.WORKER_RETRY_MAX_MS,
    },
    subscriptions: { pollMs: e.SUBSCRIPTION_POLL_MS, maxLag: e.SUBSCRIPTION_MAX_LAG, stallBytes: e.WS_STALL_BYTES, stallMs: e.WS_STALL_MS },
    agents: { systemPromptMaxLength: e.SYSTEM_PROMPT_MAX_LENGTH },
    audit: { retentionDays: e.AUDIT_RETENTION_DAYS },
    limits: {
      enabled: e.RATE_LIMITS_ENABLED,
      perMinute: { FREE: e.RATE_LIMIT_FREE_PER_MINUTE, PRO: e.RATE_LIMIT_PRO_PER_MINUTE, ENTERPRISE: e.RATE_LIMIT_ENTERPRISE_PER_MINUTE },
      tenantMultiplier: e.RATE_LIMIT_TENANT_MULTIPLIER,
      anonymousPerMinute: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      fields: e.FIELD_RATE_LIMITS,
      planCacheMs: e.PLAN_CACHE_SECONDS * 1000,
      ws: {
        connectionsPerIpPerMinute: e.WS_CONNECTIONS_PER_IP_PER_MINUTE,
        subscribesPerMinute: e.WS_SUBSCRIBES_PER_MINUTE,
        maxSubscriptionsPerPrincipal: e.WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL,
        maxMessageBytes: e.WS_MAX_MESSAGE_BYTES,
      },
    },
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxCost: e.QUERY_MAX_COST,
      maxStringLength: e.QUERY_MAX_STRING_LENGTH,
      batchLimit: e.GRAPHQL_BATCH_LIMIT,
      maxBodyBytes: e.REQUEST_MAX_BODY_BYTES,
    },
    quotas: {
      FREE: quota(e.QUOTA_FREE_EXECUTIONS_PER_MONTH, e.QUOTA_FREE_TOKENS_PER_MONTH),
      PRO: quota(e.QUOTA_PRO_EXECUTIONS_PER_MONTH, e.QUOTA_PRO_TOKENS_PER_MONTH),
      ENTERPRISE: quota(e.QUOTA_ENTERPRISE_EXECUTIONS_PER_MONTH, e.QUOTA_ENTERPRISE_TOKENS_PER_MONTH),
    },
    http: { corsOrigins: e.CORS_ORIGINS, hstsMaxAge: e.HSTS_MAX_AGE_SECONDS },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
    tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
  }
}

/** 0 means unlimited for quotas. */
const quota = (executions: number, tokens: number): PlanQuota => ({
  executionsPerMonth: executions || null,
  tokensPerMonth: tokens || null,
})

export const modeOf = (config: Config): { database: Mode; redis: 'redis' | 'memory' } => ({
  database: config.database.url ? 'postgres' : 'embedded',
  redis: config.redis.url ? 'redis' : 'memory',
})

/** For the few decisions taken at module load, before loadConfig runs (e.g. schema-builder strictness). */
export const isProductionProcess = process.env.NODE_ENV === 'production'
