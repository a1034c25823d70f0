// Logs: one JSON line per operation (request id, tenant, principal, operation, duration, outcome) over HTTP and
// WebSocket, per-module levels, and no line ever contains a secret or configured PII that a client sent.
import { Writable } from 'node:stream'
import { decodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.ts'
import { startApp } from '../helpers/app.ts'
import { testConfig } from '../helpers/env.ts'
import { createApiKey, signUp, uniqueEmail } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

function capture(env: Record<string, string> = {}) {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  const config = testConfig({ LOG_LEVEL: 'trace', ...env })
  return { lines, logger: createLogger(config, stream), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) }
}

describe('operation logs', () => {
  it('logs each operation once with request id, tenant, principal, name, type, duration and outcome', async () => {
    const log = capture()
    const t = await startApp({}, { logger: log.logger, listen: true })
    const owner = await signUp(t)
    const tenantId = decodeGlobalID(owner.tenantId).id
    const r = await t.gql('query Me { viewer { principal { kind } } }', undefined, { ...owner.headers, 'x-request-id': 'log-test-1' })
    expect(r.status).toBe(200)
    await t.gql('query Broken { nope }', undefined, { ...owner.headers, 'x-request-id': 'log-test-2', accept: 'application/graphql-response+json' })
    const ws = connectWs(t.port!, { authorization: owner.headers.authorization })
    await ws.collect('query OverSocket { viewer { principal { kind } } }')
    await ws.client.dispose()

    const ops = log.parsed().filter((l) => l.msg === 'operation')
    expect(ops.find((l) => l.requestId === 'log-test-1')).toMatchObject({
      module: 'operations', transport: 'http', tenantId, principalId: expect.any(String), principalKind: 'USER',
      operationName: 'Me', operationType: 'query', status: 200, durationMs: expect.any(Number), outcome: 'ok',
    })
    expect(ops.find((l) => l.requestId === 'log-test-2')).toMatchObject({ operationName: 'Broken', status: 400, outcome: 'error', errors: ['VALIDATION_FAILED'] })
    expect(ops.find((l) => l.operationName === 'OverSocket')).toMatchObject({ transport: 'ws', tenantId, operationType: 'query', outcome: 'ok' })
    expect(ops.filter((l) => l.requestId === 'log-test-1')).toHaveLength(1)
  })

  it('takes a level per module from LOG_LEVELS', async () => {
    const log = capture({ LOG_LEVELS: 'operations=warn' })
    const t = await startApp({ LOG_LEVELS: 'operations=warn' }, { logger: log.logger })
    await t.gql('{ __typename }')
    expect(log.parsed().some((l) => l.msg === 'operation')).toBe(false)
    expect(log.parsed().length).toBeGreaterThan(0) // other modules still log at trace
  })
})

describe('redaction', () => {
  it('never writes a secret or configured PII field that a client sent, whatever the path', async () => {
    const log = capture({ LOG_REDACT_FIELDS: 'email,ipAddress' })
    const t = await startApp({ LOG_LEVEL: 'trace' }, { logger: log.logger, listen: true })
    const email = uniqueEmail('secretive')
    const password = 'hunter2 is a terrible password but long'
    const owner = await signUp(t, { email, password })
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const secrets = [password, owner.accessToken, owner.refreshToken, key.secret, email]

    await t.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { email, password: `${password}-wrong` } })
    await t.gql('{ viewer { principal { kind } } }', undefined, { 'x-api-key': key.secret })
    await t.gql('{ viewer { principal { kind } } }', undefined, { authorization: `Bearer ${owner.accessToken}x` })
    await t.gql('mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }', { i: { refreshToken: owner.refreshToken } })
    await t.gql(`{ nope(token: "${key.secret}") }`)
    const ws = connectWs(t.port!, { authorization: `Bearer ${owner.accessToken}` })
    await ws.collect('{ viewer { principal { kind } } }')
    await ws.client.dispose()
    // Whatever code logs, and however it nests or formats, secrets and PII come out redacted.
    const logger = t.app.deps.logger
    logger.warn({ headers: { authorization: `Bearer ${owner.accessToken}`, 'X-Api-Key': key.secret }, input: { deep: { password, email } } }, `saw ${key.secret}`)
    logger.error({ err: new Error(`failed for ${owner.refreshToken} with Bearer ${owner.accessToken}`) }, 'oops')
    logger.info('interpolated %s', key.secret)

    const text = log.lines.join('\n')
    expect(log.lines.length).toBeGreaterThan(10)
    for (const s of secrets) expect(text).not.toContain(s)
    expect(text).toContain('[redacted]')
  })
})
