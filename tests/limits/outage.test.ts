// Redis unavailable: the Redis store fails fast with LimiterUnavailableError (never hangs a request) and recovers by
// itself when Redis returns on the same address.
import { Redis } from 'ioredis'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import { LimiterUnavailableError, type LimitStore } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { eventually } from '../helpers/ws.ts'
import { dedicatedRedis, silentLogger, timed, uniqueKey } from './support.ts'

const W = 60_000

describe.skipIf(!services.redisBin)('rate-limit store while Redis is unavailable', () => {
  const track = <S extends LimitStore>(store: S) => (onTestFinished(() => store.close()), store)

  it('rejects within 200 ms with LimiterUnavailableError when Redis is stopped, and works again after a restart', async () => {
    const redis = await dedicatedRedis()
    const store = track(createRedisLimitStore(redis.url, silentLogger))
    expect(await store.consume(uniqueKey(), 5, W)).toMatchObject({ allowed: true })

    await redis.stop()
    // Right after the stop (the client may not have seen the close yet), then once it is reconnecting.
    for (const pause of [0, 0, 50, 300]) {
      await new Promise((r) => setTimeout(r, pause))
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => timed(() => store.consume(uniqueKey(), 5, W))))
      for (const o of outcomes) {
        expect(o.error).toBeInstanceOf(LimiterUnavailableError)
        expect(o.ms).toBeLessThan(200)
      }
    }
    const peek = await timed(() => store.peek(uniqueKey(), 5, W))
    expect(peek.error).toBeInstanceOf(LimiterUnavailableError)

    await redis.restart()
    // The restarted server has an empty script cache: EVALSHA → NOSCRIPT → EVAL, transparently.
    await eventually(async () => expect(await store.consume(uniqueKey(), 5, W)).toMatchObject({ allowed: true, remaining: 4 }), 10_000)
  })

  it('reports readiness: true once connected (what a server waits for at boot), false when Redis stays away', async () => {
    const redis = await dedicatedRedis()
    const fresh = track(createRedisLimitStore(redis.url, silentLogger))
    expect(await fresh.ready(5_000)).toBe(true)
    expect(await fresh.consume(uniqueKey(), 5, W)).toMatchObject({ allowed: true })
    await redis.stop()
    const orphan = track(createRedisLimitStore(redis.url, silentLogger))
    expect(await orphan.ready(300)).toBe(false)
  })

  it('rejects within 200 ms when Redis is up but does not answer (command timeout)', async () => {
    const redis = await dedicatedRedis()
    const store = track(createRedisLimitStore(redis.url, silentLogger))
    const admin = new Redis(redis.url)
    onTestFinished(() => void admin.disconnect())
    const key = uniqueKey()
    await store.consume(key, 5, W)

    await admin.call('CLIENT', 'PAUSE', '600', 'ALL')
    const outcome = await timed(() => store.consume(key, 5, W))
    expect(outcome.error).toBeInstanceOf(LimiterUnavailableError)
    expect(outcome.ms).toBeGreaterThanOrEqual(140) // it was the timeout, not a refused connection
    expect(outcome.ms).toBeLessThan(200)

    // The timed-out command was already sent, so Redis still runs it once the pause ends: a timeout can only
    // over-count (refuse more), never admit more than the limit.
    await eventually(async () => expect(await store.peek(key, 5, W)).toMatchObject({ remaining: 3 }), 5_000)
  })
})
