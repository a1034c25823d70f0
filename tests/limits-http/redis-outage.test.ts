// Redis stopped under a running server: rate-limited operations fail closed within 200 ms with SERVICE_UNAVAILABLE
// (HTTP 503, Retry-After) over HTTP and WebSocket (subscriptions excepted: they are admitted), or fall back to per-process memory limits with
// REDIS_UNAVAILABLE=fail-open; when Redis returns they are admitted again without a restart.
import { describe, expect, it } from 'vitest'
import { startApp } from '../helpers/app.ts'
import { services } from '../helpers/env.ts'
import { createApiKey, signUp } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'
import { dedicatedRedis, timed } from '../limits/support.ts'
import { count, rateHeaders, viewerQuery } from './support.ts'

describe.skipIf(!services.redisBin)('rate limits while Redis is unavailable', () => {
  it('fails closed within 200 ms with 503 SERVICE_UNAVAILABLE and Retry-After, and recovers by itself', async () => {
    const redis = await dedicatedRedis()
    const t = await startApp({ REDIS_URL: redis.url, RATE_LIMIT_FREE_PER_MINUTE: '1000' }, { listen: true })
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const send = () => fetch(`http://127.0.0.1:${t.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...key.headers }, body: JSON.stringify({ query: viewerQuery }) })
    // Warm the database pool (opening connections is not what is measured here).
    expect(count(await Promise.all(Array.from({ length: 10 }, () => send().then((r) => r.status))), 200)).toBe(10)

    const ws = connectWs(t.port!, { authorization: key.headers.authorization })
    expect((await ws.collect(viewerQuery))[0]!.errors).toBeUndefined()

    await redis.stop()
    // Right after the stop, then while ioredis reconnects in the background; concurrent and one at a time.
    for (const pause of [0, 50, 300]) {
      await new Promise((r) => setTimeout(r, pause))
      const outcomes = [...await Promise.all(Array.from({ length: 5 }, () => timed(send))), await timed(send), await timed(send)]
      for (const o of outcomes) {
        expect(o.ms).toBeLessThan(200)
        const r = o.value!
        expect(r.status).toBe(503)
        expect(r.headers.get('retry-after')).toBe('1')
        expect(rateHeaders(r.headers)).toEqual({ limit: '1000', remaining: '0', reset: '1' })
        const body = await r.json() as { errors: { extensions: Record<string, unknown> }[] }
        expect(body.errors[0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfter: 1 })
      }
    }

    // Over WebSocket: a query is that operation's error on an open socket, which stays usable. Streams are the
    // exception (docs/limits.md): a new socket (here with an access token, whose revocation check fails open for
    // sockets) is accepted and a subscription on it is admitted, to follow the log from PostgreSQL.
    const wsError = await ws.collect(viewerQuery).then(() => undefined, (e: unknown) => e)
    expect(wsError).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) })])
    const late = connectWs(t.port!, { authorization: owner.headers.authorization })
    const stream = late.start('subscription { tenantEvents { cursor type } }')
    let refused: unknown
    stream.done.catch((e: unknown) => (refused = e))
    await new Promise((r) => setTimeout(r, 1_000))
    expect(refused).toBeUndefined()
    expect(late.closes).toEqual([])
    stream.stop()

    await redis.restart()
    await eventually(async () => expect((await send()).status).toBe(200), 10_000)
    const [again] = await ws.collect<{ viewer: unknown }>(viewerQuery)
    expect(again!.data?.viewer).toBeTruthy()
    await ws.client.dispose()
  })

  it('with REDIS_UNAVAILABLE=fail-open keeps limiting from memory in each process', async () => {
    const redis = await dedicatedRedis()
    const t = await startApp({ REDIS_URL: redis.url, REDIS_UNAVAILABLE: 'fail-open', RATE_LIMIT_FREE_PER_MINUTE: '5' })
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    await redis.stop()
    const statuses = await Promise.all(Array.from({ length: 12 }, () => t.gql(viewerQuery, undefined, key.headers).then((r) => r.status)))
    expect(count(statuses, 200)).toBe(5)
    expect(count(statuses, 429)).toBe(7)
  })
})
