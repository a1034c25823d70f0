import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env)
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return (e as Error).message
  }
  throw new Error('expected loadConfig to fail')
}

describe('config', () => {
  it('defaults to the embedded mode on port 4000', () => {
    const c = loadConfig({})
    expect(c.port).toBe(4000)
    expect(c.database.url).toBeUndefined()
    expect(c.redis.url).toBeUndefined()
    expect(c.database.dataDir).toMatch(/\.data$/)
    expect(c.auth.allowSignUp).toBe(true)
    expect(c.workers).toBeUndefined()
    expect(c.worker.concurrency).toBe(8)
    expect(c.worker.tenantMaxRunning).toEqual({ FREE: 4, PRO: 16, ENTERPRISE: 64 })
    expect(c.isProduction).toBe(false)
    expect(c.agents.systemPromptMaxLength).toBe(20_000)
    expect(c.audit.retentionDays).toBe(365)
  })

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ ALLOW_SIGNUP: 'maybe' }, 'ALLOW_SIGNUP'],
    [{ WORKERS: '-1' }, 'WORKERS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ SYSTEM_PROMPT_MAX_LENGTH: '10' }, 'SYSTEM_PROMPT_MAX_LENGTH'],
    [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS'],
  ])('rejects %j with one line naming the variable', (env, name) => {
    const message = fails(env)
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `))
    expect(message).not.toContain('\n')
  })

  it('never echoes secrets or URLs it rejects', () => {
    expect(fails({ JWT_SECRET: 'hunter2' })).not.toContain('hunter2')
    expect(fails({ DATABASE_URL: 'mysql://user:pw@host/db' })).not.toContain('pw@host')
  })

  it('requires a signing secret in production', () => {
    expect(fails({ NODE_ENV: 'production' })).toContain('JWT_SECRET')
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })
    expect(c.isProduction).toBe(true)
    expect(c.host).toBe('0.0.0.0')
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(4000)
  })

  it('maps each variable to its place in the nested configuration', () => {
    const c = loadConfig({ WS_STALL_MS: '777', QUOTA_ENTERPRISE_TOKENS_PER_MONTH: '5', PLAN_CACHE_SECONDS: '7', DATABASE_ROLE: 'none' })
    expect(c.subscriptions.stallMs).toBe(777)
    expect(c.quotas.ENTERPRISE).toEqual({ executionsPerMonth: null, tokensPerMonth: 5 })
    expect(c.limits.planCacheMs).toBe(7_000)
    expect(c.database.role).toBeUndefined()
    expect(loadConfig({}).database.role).toBe('agent_platform_app')
  })

  it('completes the values that depend on other variables', () => {
    const db = 'postgres://app@db/app'
    expect(loadConfig({ DATABASE_URL: db }).database.migrationUrl).toBe(db)
    expect(loadConfig({ DATABASE_URL: db, MIGRATION_DATABASE_URL: 'postgres://owner@db/app' }).database.migrationUrl).toBe('postgres://owner@db/app')
    expect(loadConfig({ LLM_OPENAI_API_KEY: 'k', LLM_TIMEOUT_MS: '2000' }).llm.openAi).toBeUndefined()
    expect(loadConfig({ LLM_OPENAI_BASE_URL: 'https://llm.example.com/v1', LLM_TIMEOUT_MS: '2000' }).llm.openAi)
      .toEqual({ baseUrl: 'https://llm.example.com/v1', apiKey: undefined, modelMap: undefined, timeoutMs: 2_000 })
    const keys = JSON.stringify({ keys: [{ kid: 'k1', alg: 'ES256', kty: 'EC', d: 'secret' }] })
    expect(loadConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEYS: keys }).auth.privateKeys).toHaveLength(1)
    expect(fails({ PAGE_SIZE_DEFAULT: '200' })).toBe('Invalid configuration: PAGE_SIZE_DEFAULT must not exceed PAGE_SIZE_MAX')
  })
})

// Limits, quotas, hardening and observability.
describe('limits configuration', () => {
  it('has safe defaults', () => {
    const c = loadConfig({})
    expect(c.limits).toMatchObject({
      enabled: true,
      perMinute: { FREE: 100, PRO: 1_000, ENTERPRISE: 10_000 },
      tenantMultiplier: 10,
      anonymousPerMinute: 60,
      fields: [{ type: 'Mutation', field: 'runAgent', max: 10, windowMs: 60_000 }],
      ws: { connectionsPerIpPerMinute: 60, subscribesPerMinute: 120, maxSubscriptionsPerPrincipal: 25, maxMessageBytes: 1_048_576 },
    })
    expect(c.queryLimits).toEqual({ maxDepth: 10, maxAliases: 15, maxTokens: 2_000, maxDirectives: 50, maxCost: 25_000, maxStringLength: 100_000, batchLimit: 0, maxBodyBytes: 1_048_576 })
    expect(c.quotas).toEqual({
      FREE: { executionsPerMonth: 1_000, tokensPerMonth: 1_000_000 },
      PRO: { executionsPerMonth: 50_000, tokensPerMonth: 50_000_000 },
      ENTERPRISE: { executionsPerMonth: null, tokensPerMonth: null },
    })
    expect(c.http).toEqual({ corsOrigins: [], hstsMaxAge: 31_536_000, console: true })
    expect(c.metrics).toEqual({ enabled: true, token: undefined })
    expect(c.tracing.otlpEndpoint).toBeUndefined()
    expect(c.log).toMatchObject({ modules: {}, redactFields: ['email'] })
  })

  it('parses plans, field limits, origins and module levels', () => {
    const c = loadConfig({
      RATE_LIMIT_ENTERPRISE_PER_MINUTE: 'unlimited',
      FIELD_RATE_LIMITS: 'Mutation.runAgent=5/30s, Query.tools=100/1h',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      LOG_LEVELS: 'operations=warn,ws=debug',
      QUOTA_PRO_TOKENS_PER_MONTH: '0',
    })
    expect(c.limits.perMinute.ENTERPRISE).toBeNull()
    expect(c.limits.fields).toEqual([
      { type: 'Mutation', field: 'runAgent', max: 5, windowMs: 30_000 },
      { type: 'Query', field: 'tools', max: 100, windowMs: 3_600_000 },
    ])
    expect(c.http.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000'])
    expect(c.log.modules).toEqual({ operations: 'warn', ws: 'debug' })
    expect(c.quotas.PRO.tokensPerMonth).toBeNull()
    expect(loadConfig({ FIELD_RATE_LIMITS: 'none' }).limits.fields).toEqual([])
    expect(loadConfig({ RATE_LIMIT_ENTERPRISE_PER_MINUTE: '0' }).limits.perMinute.ENTERPRISE).toBeNull()
  })

  it.each([
    [{ RATE_LIMIT_FREE_PER_MINUTE: '0' }, 'RATE_LIMIT_FREE_PER_MINUTE'],
    [{ RATE_LIMIT_ENTERPRISE_PER_MINUTE: 'lots' }, 'RATE_LIMIT_ENTERPRISE_PER_MINUTE'],
    [{ FIELD_RATE_LIMITS: 'runAgent=10' }, 'FIELD_RATE_LIMITS'],
    [{ FIELD_RATE_LIMITS: 'Mutation.runAgent=10/2d' }, 'FIELD_RATE_LIMITS'],
    [{ CORS_ORIGINS: 'https://app.example.com/path' }, 'CORS_ORIGINS'],
    [{ LOG_LEVELS: 'ws=loud' }, 'LOG_LEVELS'],
    [{ QUERY_MAX_DEPTH: '0' }, 'QUERY_MAX_DEPTH'],
    [{ GRAPHQL_BATCH_LIMIT: '1000' }, 'GRAPHQL_BATCH_LIMIT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  ])('rejects %j with one line naming the variable', (env, name) => {
    const message = fails(env)
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `))
    expect(message).not.toContain('\n')
  })

  it('never echoes a metrics token it rejects', () => {
    expect(fails({ METRICS_TOKEN: 'short-secret' })).not.toContain('short-secret')
  })
})
