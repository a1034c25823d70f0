// HTTP hardening: CSRF prevention, security headers (HSTS only behind TLS as vouched for by a trusted proxy), no
// X-Powered-By, CORS from configuration, and production mode: no introspection over HTTP or WebSocket, no GraphiQL,
// masked errors.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { connectWs } from '../helpers/ws.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ TRUST_PROXY_HOPS: '1' }, { listen: true })
})

const query = encodeURIComponent('{ __typename }')
const post = (app: TestApp, headers: Record<string, string>, body = JSON.stringify({ query: '{ __typename }' })) =>
  app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
const codeOf = async (r: Response) => ((await r.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code

describe('CSRF prevention', () => {
  it('refuses a GET without a preflight-forcing header, and accepts it with one', async () => {
    const bare = await t.fetch(`/graphql?query=${query}`)
    expect(bare.status).toBe(403)
    expect(await codeOf(bare)).toBe('FORBIDDEN')
    for (const headers of [{ 'x-graphql-yoga-csrf': '1' }, { 'apollo-require-preflight': 'true' }] as Record<string, string>[]) {
      const ok = await t.fetch(`/graphql?query=${query}`, { headers })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ data: { __typename: 'Query' } })
    }
    // Credentials force a preflight too (and are the only way to send them here).
    expect((await t.fetch(`/graphql?query=${query}`, { headers: { authorization: 'Bearer apk_nope' } })).status).toBe(401)
  })

  it('never runs a mutation from GET', async () => {
    const r = await t.fetch(`/graphql?query=${encodeURIComponent('mutation { logout { success } }')}`, { headers: { 'x-graphql-yoga-csrf': '1' } })
    expect(r.status).toBe(405)
  })

  it.each([
    ['form-encoded', 'application/x-www-form-urlencoded', `query=${query}`],
    ['multipart', 'multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x--\r\n`],
    ['text/plain', 'text/plain', JSON.stringify({ query: '{ __typename }' })],
  ])('refuses a %s POST (what a cross-site form can send) with 415, even with the CSRF header', async (_name, type, body) => {
    const r = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': type, 'x-graphql-yoga-csrf': '1' }, body })
    expect(r.status).toBe(415)
    expect(await codeOf(r)).toBe('VALIDATION_FAILED')
  })
})

describe('security headers', () => {
  const expectHardened = (h: Headers) => {
    expect(h.get('x-content-type-options')).toBe('nosniff')
    expect(h.get('x-frame-options')).toBe('DENY')
    expect(h.get('referrer-policy')).toBe('no-referrer')
    expect(h.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    expect(h.get('x-powered-by')).toBeNull()
  }

  it('hardens API responses, errors included, and the health and metrics endpoints', async () => {
    for (const r of [await post(t, {}), await post(t, {}, '{"query":'), await fetch(`http://127.0.0.1:${t.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })]) {
      expectHardened(r.headers)
      expect(r.headers.get('content-security-policy')).toMatch(/^default-src 'none'/)
    }
    for (const path of ['/health/live', '/health/ready', '/metrics']) expectHardened((await fetch(`http://127.0.0.1:${t.port}${path}`)).headers)
  })

  it('serves GraphiQL bundled: inline assets, its WebSocket, and no external origin', async () => {
    const r = await fetch(`http://127.0.0.1:${t.port}/graphql`, { headers: { accept: 'text/html' } })
    expect(await r.text()).toContain('GraphiQL')
    expectHardened(r.headers)
    const csp = r.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self' 'unsafe-inline' blob:")
    expect(csp).not.toMatch(/https?:\/\//)
    expect(csp).toContain('connect-src')
    expect(csp).toContain('ws:')
  })

  it('sends HSTS only when the request came over TLS through a trusted proxy', async () => {
    expect((await post(t, {})).headers.get('strict-transport-security')).toBeNull()
    expect((await post(t, { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    expect((await post(t, { 'x-forwarded-proto': 'http' })).headers.get('strict-transport-security')).toBeNull()
    const untrusting = await startApp({ TRUST_PROXY_HOPS: '0' })
    expect((await post(untrusting, { 'x-forwarded-proto': 'https' })).headers.get('strict-transport-security')).toBeNull()
  })
})

describe('CORS', () => {
  const preflight = (app: TestApp, origin: string) =>
    app.fetch('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } })

  it('allows no cross-origin access unless configured', async () => {
    const r = await preflight(t, 'https://evil.example')
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect((await post(t, { origin: 'https://evil.example' })).headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows the configured origins, with credentials, and exposes the rate-limit headers', async () => {
    const app = await startApp({ CORS_ORIGINS: 'https://app.example.com,https://admin.example.com' })
    const r = await preflight(app, 'https://admin.example.com')
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-origin')).toBe('https://admin.example.com')
    expect(r.headers.get('access-control-allow-credentials')).toBe('true')
    expect(r.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    const res = await post(app, { origin: 'https://app.example.com' })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(res.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/)
    expect((await preflight(app, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
  })

  it('never combines a wildcard with credentials', async () => {
    const app = await startApp({ CORS_ORIGINS: '*' })
    const r = await preflight(app, 'https://anywhere.example')
    expect(r.headers.get('access-control-allow-origin')).toBe('https://anywhere.example')
    expect(r.headers.get('access-control-allow-credentials')).toBeNull()
  })
})

describe('production mode', () => {
  let prod: TestApp
  beforeAll(async () => {
    prod = await startApp({ NODE_ENV: 'production' }, { listen: true })
  })
  const introspection = ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }']

  it('refuses introspection over HTTP but still answers __typename', async () => {
    for (const q of introspection) {
      const r = await post(prod, { accept: 'application/graphql-response+json' }, JSON.stringify({ query: q }))
      expect(r.status).toBe(400)
      const text = await r.text()
      expect(JSON.parse(text).errors[0].message).toMatch(/introspection has been disabled/)
      expect(text).not.toMatch(/stack|originalError/)
    }
    expect(await (await post(prod, {})).json()).toEqual({ data: { __typename: 'Query' } })
  })

  it('refuses introspection over WebSocket as that operation’s error', async () => {
    const ws = connectWs(prod.port!)
    for (const q of introspection) {
      const err = await ws.collect(q).then(() => undefined, (e: unknown) => e)
      expect(err).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/introspection has been disabled/), extensions: expect.objectContaining({ code: 'VALIDATION_FAILED' }) })]))
    }
    expect((await ws.collect('{ __typename }'))[0]!.data).toEqual({ __typename: 'Query' })
    await ws.client.dispose()
  })

  it('serves no GraphiQL and leaks no schema hints or error details', async () => {
    const page = await fetch(`http://127.0.0.1:${prod.port}/graphql`, { headers: { accept: 'text/html' } })
    expect(await page.text()).not.toContain('GraphiQL')
    const r = await post(prod, {}, JSON.stringify({ query: '{ viewr { id } }' }))
    const text = await r.text()
    expect(text).not.toMatch(/Did you mean|stack|originalError/)
  })
})
