// The only reader of process.env. Parsed once at start-up; a bad value stops the process with one line naming it.
// Each variable is declared once, in `declaration` below (where it goes in Config, its name, default and validation);
// the Config type is derived from it.
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import {
  bool, ConfigError, corsOrigins, env, type EnvVar, fieldRateLimits, int, jwkSet, list, logLevels, modelMap, moduleLevels, optionalString,
  readEnv, unlimitedOr, url,
} from './config/env.ts'

export { ConfigError }
export type { FieldRateLimit, LogLevel } from './config/env.ts'

export type Mode = 'embedded' | 'postgres'
export type Plan = 'FREE' | 'PRO' | 'ENTERPRISE'

/** A monthly quota; 0 means unlimited (null). */
const quota = (def: number) => int(def, 0).transform((n) => n || null)

const postgresUrl = url(['postgres:', 'postgresql:']).optional()
const httpUrl = url(['http:', 'https:']).optional()

// Where each variable goes in Config. Values derived from several variables are completed in loadConfig.
const declaration = {
  env: env('NODE_ENV', z.string().default('development').transform((v) => (v === 'production' ? 'production' : 'development'))),
  port: env('PORT', int(4000, 0, 65535)),
  /** Unset: 127.0.0.1, or 0.0.0.0 in production. */
  host: env('HOST', optionalString),
  database: {
    url: env('DATABASE_URL', postgresUrl),
    /** Unset: `url`. */
    migrationUrl: env('MIGRATION_DATABASE_URL', postgresUrl),
    dataDir: env('DATA_DIR', z.string().trim().min(1).default('.data').transform((d) => path.resolve(d))),
    poolSize: env('DB_POOL_SIZE', int(10, 1, 500)),
    migrateOnBoot: env('MIGRATE_ON_BOOT', bool(true)),
    /** Role the application switches to (SET ROLE) so row-level security applies; undefined = none. */
    role: env('DATABASE_ROLE', z.string().trim().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL role name or "none"')
      .default('agent_platform_app').transform((r) => (r === 'none' ? undefined : r))),
  },
  redis: {
    url: env('REDIS_URL', url(['redis:', 'rediss:']).optional()),
    onUnavailable: env('REDIS_UNAVAILABLE', z.enum(['fail-closed', 'fail-open']).default('fail-closed')),
  },
  log: {
    level: env('LOG_LEVEL', z.enum(logLevels).default('info')),
    /** Per-module overrides (`LOG_LEVELS=ws=debug,operations=warn`). */
    modules: env('LOG_LEVELS', moduleLevels),
    /** Extra field names (PII) whose values never reach a log line, at any depth. */
    redactFields: env('LOG_REDACT_FIELDS', list('email')),
  },
  /** Root of the key that seals tenant secrets at rest; defaults to one derived from the JWT signing material. */
  secretsKey: env('SECRETS_KEY', z.string().min(32, 'must be at least 32 characters').optional()),
  shutdownTimeoutMs: env('SHUTDOWN_TIMEOUT_MS', int(10_000, 0, 600_000)),
  auth: {
    jwtSecret: env('JWT_SECRET', z.string().min(32, 'must be at least 32 characters').optional()),
    /** Asymmetric signing keys (JWK, private); the first signs, all verify. */
    privateKeys: env('JWT_PRIVATE_KEYS', jwkSet('private')),
    /** Retired public keys that still verify tokens until they expire. */
    publicKeys: env('JWT_PUBLIC_KEYS', jwkSet('public')),
    issuer: env('JWT_ISSUER', z.string().trim().min(1).default('agent-platform')),
    audience: env('JWT_AUDIENCE', z.string().trim().min(1).default('agent-platform-api')),
    /** Seconds, as are the next three. */
    accessTokenTtl: env('ACCESS_TOKEN_TTL_SECONDS', int(900, 5, 86_400)),
    refreshTokenTtl: env('REFRESH_TOKEN_TTL_SECONDS', int(30 * 86_400, 300, 365 * 86_400)),
    apiKeyRotationGrace: env('API_KEY_ROTATION_GRACE_SECONDS', int(86_400, 0, 30 * 86_400)),
    invitationTtl: env('INVITATION_TTL_SECONDS', int(7 * 86_400, 300, 90 * 86_400)),
    passwordMinLength: env('PASSWORD_MIN_LENGTH', int(12, 8, 128)),
    allowSignUp: env('ALLOW_SIGNUP', bool(true)),
    ipRatePerMinute: env('AUTH_RATE_LIMIT_PER_IP_PER_MINUTE', int(20, 1, 100_000)),
    loginFailuresPerAccount: env('LOGIN_FAILURES_PER_ACCOUNT', int(10, 1, 10_000)),
    loginFailureWindow: env('LOGIN_FAILURE_WINDOW_SECONDS', int(900, 10, 86_400)),
    wsRecheckSeconds: env('WS_AUTH_RECHECK_SECONDS', int(15, 1, 3_600)),
    /** How long a process reuses an authenticated principal (revocations reach every process at once); 0 = off. */
    principalCacheSeconds: env('PRINCIPAL_CACHE_SECONDS', int(10, 0, 300)),
  },
  pagination: {
    defaultSize: env('PAGE_SIZE_DEFAULT', int(20, 1, 1_000)),
    maxSize: env('PAGE_SIZE_MAX', int(100, 1, 1_000)),
  },
  /** In-process worker slots; unset → `worker.concurrency`, 0 → no in-process worker. */
  workers: env('WORKERS', z.coerce.number().int().min(0).max(256).optional()),
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are trusted (0 = use the socket address). */
  trustProxyHops: env('TRUST_PROXY_HOPS', int(0, 0, 10)),
  llm: {
    allowlist: env('MODEL_ALLOWLIST', list('mock-1').refine((l) => l.length > 0, 'must name at least one model')),
    /** Undefined unless `baseUrl` is set. */
    openAi: {
      baseUrl: env('LLM_OPENAI_BASE_URL', httpUrl),
      apiKey: env('LLM_OPENAI_API_KEY', z.string().min(1).optional()),
      modelMap: env('LLM_MODEL_MAP', modelMap.optional()),
      timeoutMs: env('LLM_TIMEOUT_MS', int(60_000, 1_000, 600_000)),
    },
  },
  httpTools: {
    allowPrivateNetworks: env('HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS', bool(false)),
    allowInsecureHttp: env('HTTP_TOOLS_ALLOW_INSECURE', bool(false)),
    timeoutMs: env('HTTP_TOOL_TIMEOUT_MS', int(10_000, 100, 120_000)),
    maxResponseBytes: env('HTTP_TOOL_MAX_RESPONSE_BYTES', int(1_048_576, 1_024, 64 * 1_048_576)),
  },
  webhooks: {
    maxAttempts: env('WEBHOOK_MAX_ATTEMPTS', int(10, 1, 50)),
    /** The first retry's delay; each further one doubles (with ±20 % jitter), capped at six hours. */
    retryBaseMs: env('WEBHOOK_RETRY_BASE_MS', int(30_000, 10, 3_600_000)),
    timeoutMs: env('WEBHOOK_TIMEOUT_MS', int(10_000, 100, 120_000)),
    /** Development and tests only: loopback and private targets, and plain http. */
    allowPrivateNetworks: env('WEBHOOKS_ALLOW_PRIVATE_NETWORKS', bool(false)),
    allowInsecureHttp: env('WEBHOOKS_ALLOW_INSECURE', bool(false)),
    /** Deliveries in flight to one endpoint, over all processes. */
    concurrencyPerEndpoint: env('WEBHOOK_CONCURRENCY_PER_ENDPOINT', int(4, 1, 100)),
    /** Deliveries in flight per process. */
    slots: env('WEBHOOK_DELIVERY_SLOTS', int(16, 1, 256)),
    pollMs: env('WEBHOOK_POLL_MS', int(1_000, 50, 60_000)),
    /** How long the secret replaced by rotateWebhookSecret keeps signing alongside the new one. */
    secretRotationGraceSeconds: env('WEBHOOK_SECRET_ROTATION_GRACE_SECONDS', int(86_400, 0, 30 * 86_400)),
  },
  mcp: {
    allowPrivateNetworks: env('MCP_ALLOW_PRIVATE_NETWORKS', bool(false)),
    allowInsecureHttp: env('MCP_ALLOW_INSECURE', bool(false)),
    /** How long a tools/list stays fresh when the server sends no ttlMs. */
    toolsTtlSeconds: env('MCP_TOOLS_TTL_SECONDS', int(3_600, 1, 30 * 86_400)),
    /** The floor under a server's ttlMs (0 means "always stale"), and the retry interval of a server in ERROR. */
    toolsMinTtlSeconds: env('MCP_TOOLS_MIN_TTL_SECONDS', int(30, 1, 86_400)),
    /** Keep a session open to servers that announce tools.listChanged and re-list on notifications/tools/list_changed. */
    watchListChanged: env('MCP_WATCH_LIST_CHANGED', bool(true)),
  },
  runs: {
    promptMaxChars: env('PROMPT_MAX_CHARS', int(32_000, 100, 1_000_000)),
    /** How long an interrupt (a tool call waiting for approval) can be answered; later, resume is INTERRUPT_EXPIRED. */
    interruptTtlSeconds: env('INTERRUPT_TTL_SECONDS', int(86_400, 1, 31_536_000)),
  },
  worker: {
    pollMs: env('WORKER_POLL_MS', int(1_000, 50, 60_000)),
    heartbeatMs: env('WORKER_HEARTBEAT_MS', int(1_000, 100, 60_000)),
    staleMs: env('WORKER_STALE_MS', int(15_000, 1_000, 3_600_000)),
    maxAttempts: env('WORKER_MAX_ATTEMPTS', int(3, 1, 20)),
    retryBaseMs: env('WORKER_RETRY_BASE_MS', int(1_000, 10, 600_000)),
    retryMaxMs: env('WORKER_RETRY_MAX_MS', int(60_000, 10, 3_600_000)),
    /** Runs one worker process drives at once: runs mostly wait on models and tools, not on the CPU. */
    concurrency: env('WORKER_CONCURRENCY', int(8, 1, 256)),
    /** Runs of one tenant running at once, across every worker, by plan. */
    tenantMaxRunning: {
      FREE: env('TENANT_MAX_RUNNING_FREE', int(4, 1, 100_000)),
      PRO: env('TENANT_MAX_RUNNING_PRO', int(16, 1, 100_000)),
      ENTERPRISE: env('TENANT_MAX_RUNNING_ENTERPRISE', int(64, 1, 100_000)),
    },
  },
  subscriptions: {
    pollMs: env('SUBSCRIPTION_POLL_MS', int(1_000, 50, 60_000)),
    maxLag: env('SUBSCRIPTION_MAX_LAG', int(10_000, 10, 10_000_000)),
    stallBytes: env('WS_STALL_BYTES', int(4 * 1_048_576, 1_024, 1_073_741_824)),
    stallMs: env('WS_STALL_MS', int(10_000, 100, 600_000)),
  },
  /** Limits of agent configuration (characters). */
  agents: { systemPromptMaxLength: env('SYSTEM_PROMPT_MAX_LENGTH', int(20_000, 100, 1_000_000)) },
  /** Audit entries older than `retentionDays` are purged (worker loop or `src/cli/audit-purge.ts`). */
  tenants: {
    deletionGraceSeconds: env('TENANT_DELETION_GRACE_SECONDS', int(604_800, 0, 365 * 86_400)),
    /** How long a finished export stays downloadable before it is deleted. */
    exportRetentionHours: env('EXPORT_RETENTION_HOURS', int(24, 1, 720)),
    /** Rows an export reads per query (memory per export is about one batch and one 256 KiB chunk). */
    exportBatchRows: env('EXPORT_BATCH_ROWS', int(500, 1, 10_000)),
  },
  audit: { retentionDays: env('AUDIT_RETENTION_DAYS', int(365, 1, 36_500)) },
  limits: {
    /** Master switch of the request, field and WebSocket rate limits (benchmarks, emergencies). */
    enabled: env('RATE_LIMITS_ENABLED', bool(true)),
    /** Requests per principal per minute by plan; null = unlimited. */
    perMinute: {
      FREE: env('RATE_LIMIT_FREE_PER_MINUTE', int(100, 1, 10_000_000)),
      PRO: env('RATE_LIMIT_PRO_PER_MINUTE', int(1_000, 1, 10_000_000)),
      ENTERPRISE: env('RATE_LIMIT_ENTERPRISE_PER_MINUTE', unlimitedOr(10_000)),
    } satisfies Record<Plan, EnvVar>,
    /** A tenant's budget is its plan's per-principal limit times this (0 = no tenant-wide limit). */
    tenantMultiplier: env('RATE_LIMIT_TENANT_MULTIPLIER', int(10, 0, 10_000)),
    /** Requests per client IP per minute for callers without credentials. */
    anonymousPerMinute: env('RATE_LIMIT_ANONYMOUS_PER_MINUTE', int(60, 1, 10_000_000)),
    fields: env('FIELD_RATE_LIMITS', fieldRateLimits),
    /** How long a tenant's plan is cached per process (ms). */
    planCacheMs: env('PLAN_CACHE_SECONDS', int(30, 0, 3_600).transform((s) => s * 1000)),
    ws: {
      connectionsPerIpPerMinute: env('WS_CONNECTIONS_PER_IP_PER_MINUTE', int(60, 1, 1_000_000)),
      subscribesPerMinute: env('WS_SUBSCRIBES_PER_MINUTE', int(120, 1, 1_000_000)),
      maxSubscriptionsPerPrincipal: env('WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL', int(25, 1, 100_000)),
      maxMessageBytes: env('WS_MAX_MESSAGE_BYTES', int(1_048_576, 1_024, 64 * 1_048_576)),
    },
  },
  queryLimits: {
    maxDepth: env('QUERY_MAX_DEPTH', int(10, 1, 100)),
    maxAliases: env('QUERY_MAX_ALIASES', int(15, 0, 10_000)),
    maxTokens: env('QUERY_MAX_TOKENS', int(2_000, 10, 1_000_000)),
    maxDirectives: env('QUERY_MAX_DIRECTIVES', int(50, 0, 10_000)),
    maxCost: env('QUERY_MAX_COST', int(25_000, 1, 100_000_000)),
    maxStringLength: env('QUERY_MAX_STRING_LENGTH', int(100_000, 16, 64 * 1_048_576)),
    /** Operations per batched HTTP request; 0 = batching disabled. */
    batchLimit: env('GRAPHQL_BATCH_LIMIT', int(0, 0, 100)),
    maxBodyBytes: env('REQUEST_MAX_BODY_BYTES', int(1_048_576, 1_024, 64 * 1_048_576)),
  },
  jit: {
    /** Queries and mutations run compiled by graphql-jit (src/graphql/jit.ts); off: graphql-js for everything. */
    enabled: env('GRAPHQL_JIT', bool(true)),
    /** Compiled operations kept per process (least recently used evicted first). */
    cacheSize: env('GRAPHQL_JIT_CACHE_SIZE', int(1_000, 1, 100_000)),
  },
  quotas: {
    FREE: {
      executionsPerMonth: env('QUOTA_FREE_EXECUTIONS_PER_MONTH', quota(1_000)),
      tokensPerMonth: env('QUOTA_FREE_TOKENS_PER_MONTH', quota(1_000_000)),
    },
    PRO: {
      executionsPerMonth: env('QUOTA_PRO_EXECUTIONS_PER_MONTH', quota(50_000)),
      tokensPerMonth: env('QUOTA_PRO_TOKENS_PER_MONTH', quota(50_000_000)),
    },
    ENTERPRISE: {
      executionsPerMonth: env('QUOTA_ENTERPRISE_EXECUTIONS_PER_MONTH', quota(0)),
      tokensPerMonth: env('QUOTA_ENTERPRISE_TOKENS_PER_MONTH', quota(0)),
    },
  } satisfies Record<Plan, Record<'executionsPerMonth' | 'tokensPerMonth', EnvVar>>,
  http: {
    /** Allowed CORS origins; `['*']` = any origin without credentials; empty = no cross-origin access. */
    corsOrigins: env('CORS_ORIGINS', corsOrigins),
    /** HSTS max-age sent on requests that arrived over TLS (0 = no HSTS). */
    hstsMaxAge: env('HSTS_MAX_AGE_SECONDS', int(31_536_000, 0, 63_072_000)),
    /** The web console at /console; unset: on in development, off in production. */
    console: env('CONSOLE_ENABLED', z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional().transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v)))),
  },
  metrics: {
    enabled: env('METRICS_ENABLED', bool(true)),
    token: env('METRICS_TOKEN', z.string().min(16, 'must be at least 16 characters').optional()),
    /** Serve /metrics on this port (same HOST) instead of PORT, for a network only the scraper reaches. */
    port: env('METRICS_PORT', z.coerce.number().int().min(0).max(65535).optional()),
  },
  tracing: {
    otlpEndpoint: env('OTEL_EXPORTER_OTLP_ENDPOINT', httpUrl),
    serviceName: env('OTEL_SERVICE_NAME', z.string().trim().min(1).default('agent-platform-api')),
  },
}

export type Config = ReturnType<typeof loadConfig>
/** A monthly quota; null means unlimited. */
export type PlanQuota = Config['quotas'][Plan]

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
export function loadConfig(vars: NodeJS.ProcessEnv = process.env) {
  // An empty variable means "unset", as in most twelve-factor tooling.
  const c = readEnv(declaration, Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined && v !== '')))
  const isProduction = c.env === 'production'
  if (isProduction && !c.auth.jwtSecret && !c.auth.privateKeys.length) {
    throw new ConfigError('Invalid configuration: JWT_SECRET (or JWT_PRIVATE_KEYS) is required when NODE_ENV=production')
  }
  if (c.pagination.defaultSize > c.pagination.maxSize) {
    throw new ConfigError('Invalid configuration: PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX')
  }
  const { openAi } = c.llm
  return {
    ...c,
    isProduction,
    host: c.host ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    http: { ...c.http, console: c.http.console ?? !isProduction },
    version: packageVersion(),
    database: { ...c.database, migrationUrl: c.database.migrationUrl ?? c.database.url },
    llm: { ...c.llm, openAi: openAi.baseUrl ? { ...openAi, baseUrl: openAi.baseUrl } : undefined },
  }
}

export const modeOf = (config: Config): { database: Mode; redis: 'redis' | 'memory' } => ({
  database: config.database.url ? 'postgres' : 'embedded',
  redis: config.redis.url ? 'redis' : 'memory',
})

/** For the few decisions taken at module load, before loadConfig runs (e.g. schema-builder strictness). */
export const isProductionProcess = process.env.NODE_ENV === 'production'

const here = import.meta.dirname

/**
 * The directory of package.json, prisma/ and console/: the nearest one above this module, wherever it runs from (a
 * source file in src/, or a chunk of the bundle in dist/ at whatever depth the build put it).
 */
export const projectRoot = (() => {
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return path.dirname(here)
  }
})()

/** Whether this process runs the compiled build (dist/, `npm start`) rather than the sources (tsx, tests). */
export const runningCompiled = path.relative(projectRoot, here).split(path.sep)[0] === 'dist'

/** Read at run time rather than imported, so that the build never inlines a stale version. */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version
}
