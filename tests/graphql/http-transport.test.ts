// The HTTP transport as a client sees it: operations, request ids, error shapes, malformed input, GraphiQL, health.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { services } from '../helpers/env.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({}, { listen: true })
})

const base = () => `http://127.0.0.1:${t.port}`
const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${base()}/graphql`, { method: 'POST', headers, body })

/** GET requests must prove they are not a cross-site form or link (CSRF prevention). */
const csrf = { 'x-graphql-yoga-csrf': '1' }

/** The GraphQL-over-HTTP media type: request errors answer 400 (a legacy `application/json` client gets 200). */
const modern = { 'content-type': 'application/json', accept: 'application/graphql-response+json' }

/** No response, in any mode, may carry a stack trace or the original error. */
const expectNoLeak = (text: string) => expect(text).not.toMatch(/originalError|stack|at .*\.ts:\d+/)

describe('HTTP transport', () => {
  it('answers serverInfo with the mode it runs in', async () => {
    const r = await t.gql<{ serverInfo: { mode: string; redis: string; version: string } }>('{ serverInfo { version mode redis } }')
    expect(r.status).toBe(200)
    expect(r.body.data?.serverInfo).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      mode: services.databaseTarget === 'postgres' ? 'postgres' : 'embedded',
      redis: services.redisUrl ? 'redis' : 'memory',
    })
  })

  it('echoes a sane X-Request-ID and puts it on every error', async () => {
    const r = await post(JSON.stringify({ query: '{ nope }' }), { 'content-type': 'application/json', 'x-request-id': 'client-abc.1' })
    expect(r.headers.get('x-request-id')).toBe('client-abc.1')
    const body = await r.json()
    expect(body.errors[0].extensions.requestId).toBe('client-abc.1')
  })

  it('generates a request id when none (or a hostile one) is given', async () => {
    for (const given of [undefined, 'x'.repeat(500), 'a b<script>']) {
      const r = await post(JSON.stringify({ query: '{ serverInfo { mode } }' }), {
        'content-type': 'application/json',
        ...(given && { 'x-request-id': given }),
      })
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it.each([
    ['invalid JSON body', () => post('{"query":', undefined), 400],
    ['JSON that is not an object', () => post('[1,2]'), 400],
    ['variables that are not an object', () => post(JSON.stringify({ query: '{ serverInfo { mode } }', variables: [1] })), 400],
    ['variables that are not JSON (GET)', () => fetch(`${base()}/graphql?query=${encodeURIComponent('{serverInfo{mode}}')}&variables=nope`, { headers: csrf }), 400],
    ['a GraphQL syntax error', () => post(JSON.stringify({ query: '{ serverInfo { mode ' }), modern), 400],
    ['an unknown field', () => post(JSON.stringify({ query: '{ nope }' }), modern), 400],
    ['a variable of the wrong type', () => post(JSON.stringify({ query: 'query($c: Int) { serverInfo { mode } __typename @include(if: $c) }', variables: { c: 'x' } }), modern), 400],
    ['an unsupported content type', () => post('{ serverInfo { mode } }', { 'content-type': 'text/plain' }), 415],
    ['a mutation over GET', () => fetch(`${base()}/graphql?query=${encodeURIComponent('mutation { x }')}`, { headers: csrf }), 405],
  ])('refuses %s with a typed 4xx error', async (_name, send, status) => {
    const r = await send()
    const text = await r.text()
    expect(r.status).toBe(status)
    const body = JSON.parse(text)
    expect(body.errors[0].extensions.code).toBe('VALIDATION_FAILED')
    expect(body.errors[0].extensions.fields).toEqual(expect.any(Array))
    expect(body.errors[0].extensions.requestId).toBe(r.headers.get('x-request-id'))
    expectNoLeak(text)
  })

  it('answers request errors with 200 to a client that accepts only application/json, as the specification asks', async () => {
    for (const query of ['{ serverInfo { mode ', '{ nope }']) {
      const r = await post(JSON.stringify({ query }), { 'content-type': 'application/json', accept: 'application/json' })
      expect(r.status).toBe(200)
      expect((await r.json()).errors[0].extensions.code).toBe('VALIDATION_FAILED')
    }
  })

  it('serves GraphiQL, wired for subscriptions over WebSocket, to browsers', async () => {
    const r = await fetch(`${base()}/graphql`, { headers: { accept: 'text/html' } })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/html')
    const html = await r.text()
    expect(html).toContain('GraphiQL')
    expect(html).toContain('"subscriptionsProtocol":"WS"')
  })

  it('reports liveness and readiness with each dependency', async () => {
    const live = await fetch(`${base()}/health/live`)
    expect(live.status).toBe(200)
    const ready = await fetch(`${base()}/health/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { database: 'ok', redis: services.redisUrl ? 'ok' : 'not configured' },
    })
  })
})
