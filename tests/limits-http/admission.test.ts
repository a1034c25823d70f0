// HTTP (JSON and server-sent events) and WebSocket operations go through one admission pipeline (src/admission.ts):
// each of its steps spends one budget whatever the transport, and refuses with the same code on every transport.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'
import { fromIp, uniqueIp, viewerQuery } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({
    TRUST_PROXY_HOPS: '1',
    RATE_LIMIT_FREE_PER_MINUTE: '4',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3',
    WS_SUBSCRIBES_PER_MINUTE: '2',
  }, { listen: true })
})

const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)
const codes = (errors: unknown) => (errors as { extensions: { code: string } }[] | undefined)?.map((e) => e.extensions.code)
const heartbeat = 'subscription { heartbeat(count: 1) }'
const overSse = (s: Session) =>
  fetch(`http://127.0.0.1:${t.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...s.headers },
    body: JSON.stringify({ query: heartbeat }),
  }).then((r) => r.text())

describe('one admission pipeline for HTTP and WebSocket', () => {
  it('spends the client IP’s budget on bad credentials, whether presented to HTTP or to a WebSocket', async () => {
    const ip = uniqueIp()
    for (let i = 0; i < 3; i++) expect((await connectWs(t.port!, { apiKey: 'apk_nope' }, { headers: fromIp(ip) }).closed).code).toBe(4401)
    const r = await t.gql('{ serverInfo { mode } }', undefined, fromIp(ip))
    expect(r.status).toBe(429)
    expect(codeOf(r)).toBe('RATE_LIMITED')
  })

  it('spends one request budget on operations over HTTP and WebSocket, invalid ones included', async () => {
    const owner = await signUp(t)
    const ws = connectWs(t.port!, { authorization: owner.headers.authorization })
    expect(codes(await errorOf(ws.collect('{ nope }')))).toEqual(['VALIDATION_FAILED'])
    expect((await t.gql('{ nope }', undefined, { ...owner.headers, accept: 'application/graphql-response+json' })).status).toBe(400)
    expect((await t.gql(viewerQuery, undefined, owner.headers)).status).toBe(200)
    expect((await ws.collect(viewerQuery))[0]!.errors).toBeUndefined()
    // RATE_LIMIT_FREE_PER_MINUTE=4 is spent: the next operation is refused with the same code on both transports.
    expect(codes(await errorOf(ws.collect(viewerQuery)))).toEqual(['RATE_LIMITED'])
    expect(codeOf(await t.gql(viewerQuery, undefined, owner.headers))).toBe('RATE_LIMITED')
    await ws.client.dispose()
  })

  it('counts subscription starts over server-sent events and WebSocket against one budget', async () => {
    const owner = await signUp(t)
    expect(await overSse(owner)).toMatch(/"heartbeat":"/)
    const ws = connectWs(t.port!, { authorization: owner.headers.authorization })
    expect(await ws.collect(heartbeat)).toHaveLength(1)
    // WS_SUBSCRIBES_PER_MINUTE=2 is spent: the next start is refused on both transports.
    expect(codes(await errorOf(ws.collect(heartbeat)))).toEqual(['RATE_LIMITED'])
    expect(await overSse(owner)).toMatch(/"code":"RATE_LIMITED"/)
    await ws.client.dispose()
  })
})
