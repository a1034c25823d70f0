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
    expect(c.workers).toBe(1)
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
})
