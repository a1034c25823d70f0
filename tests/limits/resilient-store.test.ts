// The fail-closed / fail-open wrapper: its rules with a switchable primary, then a real Redis stopped and restarted.
import { Redis } from 'ioredis'
import { describe, expect, it, onTestFinished } from 'vitest'
import { AppError } from '../../src/errors.ts'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import { createResilientStore } from '../../src/limits/resilient-store.ts'
import { LimiterUnavailableError, type LimitStore } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { eventually } from '../helpers/ws.ts'
import { dedicatedRedis, recordingLogger, silentLogger, timed, uniqueKey } from './support.ts'

const W = 60_000
const track = <S extends LimitStore>(store: S) => (onTestFinished(() => store.close()), store)

describe('resilient store (without Redis)', () => {
  /** A primary that can be switched off: the memory store behind a LimiterUnavailableError gate. */
  const switchable = () => {
    const inner = createMemoryLimitStore()
    const state = { down: false }
    const gate = <T>(fn: () => Promise<T>) => (state.down ? Promise.reject(new LimiterUnavailableError()) : fn())
    const store: LimitStore = {
      kind: 'redis',
      consume: (...a) => gate(() => inner.consume(...a)),
      peek: (...a) => gate(() => inner.peek(...a)),
      ready: async () => !state.down,
      consumeAll: (...a) => gate(() => inner.consumeAll(...a)),
      close: () => inner.close(),
    }
    return { store, state }
  }

  it('passes other errors through untouched instead of failing open', async () => {
    const { store } = switchable()
    const open = track(createResilientStore(store, { onUnavailable: 'fail-open', logger: recordingLogger() }))
    await expect(open.consume('k', 0, 1_000)).rejects.toThrow(RangeError)
  })

  it('fails open into a default in-memory store, and logs each outage and recovery once', async () => {
    const { store, state } = switchable()
    const logger = recordingLogger()
    const open = track(createResilientStore(store, { onUnavailable: 'fail-open', logger }))
    expect(open.kind).toBe('redis')
    for (let outage = 1; outage <= 2; outage++) {
      state.down = true
      const decisions = await Promise.all(Array.from({ length: 6 }, () => open.consume(`o${outage}`, 3, 60_000)))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(3)
      state.down = false
      await open.consume('up', 100, 60_000)
      await open.consume('up', 100, 60_000)
      expect(logger.warn).toHaveBeenCalledTimes(outage)
      expect(logger.info).toHaveBeenCalledTimes(outage)
    }
  })

  it('fails closed even when a fallback is given', async () => {
    const { store, state } = switchable()
    const fallback = createMemoryLimitStore()
    const closed = track(createResilientStore(store, { onUnavailable: 'fail-closed', fallback, logger: recordingLogger() }))
    state.down = true
    await expect(closed.peek('k', 1, 1_000)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { retryAfter: 1 } })
    expect(fallback.size).toBe(0)
    await fallback.close()
  })
})

describe.skipIf(!services.redisBin)('resilient store over a Redis that goes away', () => {
  it('fails closed with SERVICE_UNAVAILABLE or open from memory, logs once per outage, and recovers by itself', async () => {
    const redis = await dedicatedRedis()
    const admin = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    admin.on('error', () => {})
    onTestFinished(() => void admin.disconnect())
    const closedLog = recordingLogger()
    const openLog = recordingLogger()
    const fallback = createMemoryLimitStore()
    const closed = track(createResilientStore(createRedisLimitStore(redis.url, silentLogger), { onUnavailable: 'fail-closed', logger: closedLog }))
    const open = track(createResilientStore(createRedisLimitStore(redis.url, silentLogger), { onUnavailable: 'fail-open', fallback, logger: openLog }))
    const [kc, ko] = [uniqueKey('closed'), uniqueKey('open')]
    expect(await closed.consume(kc, 2, W)).toMatchObject({ allowed: true, remaining: 1 })
    expect(await open.consume(ko, 2, W)).toMatchObject({ allowed: true, remaining: 1 })
    await eventually(async () => expect(await admin.zcard(`rl:${ko}`)).toBe(1))
    expect(fallback.size).toBe(0)

    await redis.stop()
    for (let i = 0; i < 10; i++) {
      const outcome = await timed(() => closed.consume(kc, 2, W))
      expect(outcome.error).toBeInstanceOf(AppError)
      expect(outcome.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { retryAfter: 1 } })
      expect(outcome.ms).toBeLessThan(200)
    }
    // Fail-open answers from the fallback, which starts empty: a per-process limit during the outage.
    const during = await Promise.all(Array.from({ length: 5 }, () => open.consume(ko, 2, W)))
    expect(during.map((d) => d.allowed)).toEqual([true, true, false, false, false])
    expect(await fallback.peek(ko, 2, W)).toMatchObject({ remaining: 0 })
    expect(closedLog.warn).toHaveBeenCalledTimes(1)
    expect(openLog.warn).toHaveBeenCalledTimes(1)
    expect(closedLog.info).not.toHaveBeenCalled()

    await redis.restart()
    const [kc2, ko2] = [uniqueKey('closed-after'), uniqueKey('open-after')]
    await eventually(async () => expect(await closed.consume(kc2, 2, W)).toMatchObject({ allowed: true }), 10_000)
    await eventually(async () => expect(await open.consume(ko2, 2, W)).toMatchObject({ allowed: true }), 10_000)
    // Answered by Redis again, not by the fallback.
    await eventually(async () => expect(await admin.zcard(`rl:${ko2}`)).toBe(1))
    expect(await fallback.peek(ko2, 2, W)).toMatchObject({ remaining: 2 })
    expect(closedLog.info).toHaveBeenCalledTimes(1)
    expect(openLog.info).toHaveBeenCalledTimes(1)
    expect(closedLog.warn).toHaveBeenCalledTimes(1)
  })
})
