// WebSocket limits: new connections per client IP (4029), subscription starts per minute and concurrent
// subscriptions per principal (the operation's RATE_LIMITED error), and the request budget shared with HTTP.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { createApiKey, signUp } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'
import { fromIp, uniqueIp, viewerQuery } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({
    TRUST_PROXY_HOPS: '1',
    WS_CONNECTIONS_PER_IP_PER_MINUTE: '3',
    WS_SUBSCRIBES_PER_MINUTE: '3',
    WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '2',
    RATE_LIMIT_FREE_PER_MINUTE: '20',
  }, { listen: true })
})

/** A socket from a client IP of its own (the connection limit is per IP). */
const socket = (params?: Record<string, unknown>) => connectWs(t.port!, params, { headers: fromIp(uniqueIp()) })
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)
const rateLimited = [expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) }) })]
const heartbeat = 'subscription { heartbeat(intervalSeconds: 60) }'

describe('WebSocket limits', () => {
  it('accepts WS_CONNECTIONS_PER_IP_PER_MINUTE new sockets per client IP and closes the next with 4029', async () => {
    const ip = uniqueIp()
    const sockets = Array.from({ length: 3 }, () => connectWs(t.port!, undefined, { headers: fromIp(ip) }))
    for (const s of sockets) expect((await s.collect('{ __typename }'))[0]!.data).toEqual({ __typename: 'Query' })
    const refused = connectWs(t.port!, undefined, { headers: fromIp(ip) })
    const close = await refused.closed
    expect(close.code).toBe(4029)
    expect(close.reason).toMatch(/Too many connections; retry in \d+ s/)
    // Another client is not affected, nor are the sockets already open.
    const other = connectWs(t.port!, undefined, { headers: fromIp(uniqueIp()) })
    expect((await other.collect('{ __typename }'))[0]!.data).toBeTruthy()
    expect((await sockets[0]!.collect('{ __typename }'))[0]!.data).toBeTruthy()
    for (const s of [...sockets, other]) await s.client.dispose()
  })

  it('limits subscription starts per principal per minute; queries over the socket do not count', async () => {
    const owner = await signUp(t)
    const ws = socket({ authorization: owner.headers.authorization })
    for (let i = 0; i < 5; i++) expect((await ws.collect(viewerQuery))[0]!.errors).toBeUndefined()
    for (let i = 0; i < 3; i++) expect(await ws.collect('subscription { heartbeat(count: 1) }')).toHaveLength(1)
    expect(await errorOf(ws.collect('subscription { heartbeat(count: 1) }'))).toEqual(rateLimited)
    expect(ws.closes).toEqual([])
    await ws.client.dispose()
  })

  it('limits concurrent subscriptions per principal across sockets, and frees a slot when one ends', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const [a, b] = [socket({ apiKey: key.secret }), socket({ apiKey: key.secret })]
    const first = a.start(heartbeat)
    const second = b.start(heartbeat)
    await eventually(() => expect(first.results.length + second.results.length).toBe(2))
    expect(await errorOf(a.collect(heartbeat))).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 2 }) })])
    // Another principal of the same tenant has its own slots.
    const ws = socket({ authorization: owner.headers.authorization })
    const mine = ws.start(heartbeat)
    await eventually(() => expect(mine.results).toHaveLength(1))
    first.stop()
    await eventually(async () => {
      const third = a.start('subscription { heartbeat(count: 1) }')
      expect(await third.done).toHaveLength(1)
    })
    for (const s of [a, b, ws]) await s.client.dispose()
  })

  it('counts subscriptions over server-sent events against the same concurrent limit', async () => {
    const owner = await signUp(t)
    const ws = socket({ authorization: owner.headers.authorization })
    const subs = [ws.start(heartbeat), ws.start(heartbeat)]
    await eventually(() => expect(subs.map((s) => s.results.length)).toEqual([1, 1]))
    const sse = await fetch(`http://127.0.0.1:${t.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...owner.headers },
      body: JSON.stringify({ query: heartbeat }),
    })
    expect(await sse.text()).toMatch(/"code":"RATE_LIMITED"/)
    subs[0]!.stop()
    await eventually(async () => {
      const r = await fetch(`http://127.0.0.1:${t.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...owner.headers },
        body: JSON.stringify({ query: 'subscription { heartbeat(count: 1) }' }),
      })
      expect(await r.text()).toMatch(/"heartbeat":"/)
    })
    await ws.client.dispose()
  })

  it('counts WebSocket operations against the same request budget as HTTP', async () => {
    const owner = await signUp(t)
    for (let i = 0; i < 15; i++) expect((await t.gql(viewerQuery, undefined, owner.headers)).status).toBe(200)
    const ws = socket({ authorization: owner.headers.authorization })
    for (let i = 0; i < 5; i++) expect((await ws.collect(viewerQuery))[0]!.errors).toBeUndefined()
    expect(await errorOf(ws.collect(viewerQuery))).toEqual(rateLimited)
    expect((await t.gql(viewerQuery, undefined, owner.headers)).status).toBe(429)
    await ws.client.dispose()
  })
})
