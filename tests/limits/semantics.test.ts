// The sliding-window log semantics, identical for the in-memory and the Redis store: exact boundaries with an
// injected clock, exact Retry-After/Reset values, cost, refusals not counted, and exactness under concurrency.
import { describe, expect, it, onTestFinished } from 'vitest'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import type { LimitStore } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { manualClock, silentLogger, uniqueKey } from './support.ts'

type Factory = (now?: () => number) => LimitStore
const stores: [string, Factory | undefined][] = [
  ['memory', (now) => createMemoryLimitStore({ now })],
  ['redis', services.redisUrl ? (now) => createRedisLimitStore(services.redisUrl!, silentLogger, { now }) : undefined],
]
// Long enough that Redis's real-time PEXPIRE never drops a key while the fake clock stands still.
const W = 60_000

describe.each(stores)('%s limit store', (_name, factory) => {
  const open = (now?: () => number) => {
    const store = factory!(now)
    onTestFinished(() => store.close())
    return store
  }
  const setup = () => {
    const clock = manualClock()
    return { clock, store: open(clock.now), key: uniqueKey() }
  }

  it.skipIf(!factory)('admits exactly `limit` hits per sliding window, with exact remaining/retryAfter/reset', async () => {
    const { clock, store, key } = setup()
    const hit = async (ms: number) => (clock.at(ms), store.consume(key, 3, W))
    expect(await hit(0)).toEqual({ allowed: true, limit: 3, remaining: 2, retryAfterMs: 0, resetMs: W })
    expect(await hit(10)).toEqual({ allowed: true, limit: 3, remaining: 1, retryAfterMs: 0, resetMs: W })
    // Full now: room again when the hit at t=0 leaves the window.
    expect(await hit(20)).toEqual({ allowed: true, limit: 3, remaining: 0, retryAfterMs: W - 20, resetMs: W })
    expect(await hit(30)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: W - 30, resetMs: W - 10 })
    expect(await hit(W - 1)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: 1, resetMs: 21 })
    // t=W: the first hit is out. Had the two refusals counted, this would be refused.
    expect(await hit(W)).toEqual({ allowed: true, limit: 3, remaining: 0, retryAfterMs: 10, resetMs: W })
    expect(await hit(W + 9)).toMatchObject({ allowed: false, retryAfterMs: 1 })
    expect(await hit(W + 10)).toMatchObject({ allowed: true, remaining: 0, retryAfterMs: 10 })
  })

  it.skipIf(!factory)('retryAfterMs is exactly when a refused cost would be admitted', async () => {
    const { clock, store, key } = setup()
    for (const t of [0, 100, 200]) {
      clock.at(t)
      await store.consume(key, 3, W)
    }
    clock.at(300)
    // Two hits need two free slots: the hits at 0 and 100 must both leave.
    expect(await store.consume(key, 3, W, 2)).toEqual({ allowed: false, limit: 3, remaining: 0, retryAfterMs: W - 200, resetMs: W - 100 })
    clock.at(300 + W - 201)
    expect((await store.consume(key, 3, W, 2)).allowed).toBe(false)
    clock.at(300 + W - 200)
    expect(await store.consume(key, 3, W, 2)).toEqual({ allowed: true, limit: 3, remaining: 0, retryAfterMs: 100, resetMs: W }) // the hit at 200 leaves first
  })

  it.skipIf(!factory)('charges a cost above 1 atomically, and never admits a cost above the limit', async () => {
    const { clock, store, key } = setup()
    expect(await store.consume(key, 5, W, 3)).toEqual({ allowed: true, limit: 5, remaining: 2, retryAfterMs: 0, resetMs: W })
    clock.at(100)
    expect(await store.consume(key, 5, W, 3)).toEqual({ allowed: false, limit: 5, remaining: 2, retryAfterMs: W - 100, resetMs: W - 100 })
    clock.at(200)
    expect(await store.consume(key, 5, W, 2)).toEqual({ allowed: true, limit: 5, remaining: 0, retryAfterMs: W - 200, resetMs: W })
    clock.at(300)
    expect(await store.consume(key, 5, W, 6)).toEqual({ allowed: false, limit: 5, remaining: 0, retryAfterMs: W, resetMs: W - 100 })
    clock.at(W)
    expect(await store.consume(key, 5, W, 3)).toEqual({ allowed: true, limit: 5, remaining: 0, retryAfterMs: 200, resetMs: W })
  })

  it.skipIf(!factory)('peek reports the state without recording, and refusals are never recorded', async () => {
    const { clock, store, key } = setup()
    expect(await store.peek(key, 2, W)).toEqual({ allowed: true, limit: 2, remaining: 2, retryAfterMs: 0, resetMs: 0 })
    await store.consume(key, 2, W)
    clock.at(5)
    for (let i = 0; i < 5; i++) expect(await store.peek(key, 2, W)).toEqual({ allowed: true, limit: 2, remaining: 1, retryAfterMs: 0, resetMs: W - 5 })
    await store.consume(key, 2, W)
    for (let i = 0; i < 20; i++) expect((await store.consume(key, 2, W)).allowed).toBe(false)
    expect(await store.peek(key, 2, W)).toEqual({ allowed: false, limit: 2, remaining: 0, retryAfterMs: W - 5, resetMs: W })
    clock.at(W)
    expect(await store.peek(key, 2, W)).toMatchObject({ allowed: true, remaining: 1 })
  })

  it.skipIf(!factory)('keeps keys independent', async () => {
    const { store } = setup()
    const [a, b] = [uniqueKey('a'), uniqueKey('b')]
    for (let i = 0; i < 3; i++) await store.consume(a, 3, W)
    expect((await store.consume(a, 3, W)).allowed).toBe(false)
    expect(await store.consume(b, 3, W)).toMatchObject({ allowed: true, remaining: 2 })
    expect(await store.peek(a, 3, W)).toMatchObject({ remaining: 0 })
  })

  it.skipIf(!factory)('keeps only the newest `limit` hits of a key', async () => {
    const { store, key } = setup()
    for (let i = 0; i < 5; i++) await store.consume(key, 10, W)
    // Lowering the limit trims the log to the 2 newest hits; a later peek with the old limit sees only those.
    expect(await store.consume(key, 2, W)).toMatchObject({ allowed: false, remaining: 0 })
    expect(await store.peek(key, 10, W)).toMatchObject({ remaining: 8 })
  })

  it.skipIf(!factory)('rejects meaningless arguments', async () => {
    const { store } = setup()
    for (const [limit, windowMs, cost] of [[0, W, 1], [3, 0, 1], [3, W, 0], [1.5, W, 1], [3, W, -1], [3, Number.NaN, 1]]) {
      await expect(store.consume('k', limit!, windowMs!, cost)).rejects.toThrow(RangeError)
    }
    await expect(store.consume('', 1, W)).rejects.toThrow(RangeError)
  })

  it.skipIf(!factory)('admits exactly `limit` of 500 concurrent hits, round after round', async () => {
    const store = open()
    for (let round = 0; round < 4; round++) {
      const key = uniqueKey(`burst-${round}`)
      const decisions = await Promise.all(Array.from({ length: 500 }, () => store.consume(key, 10, W)))
      const admitted = decisions.filter((d) => d.allowed)
      expect(admitted).toHaveLength(10)
      // Each admission saw the one before it: remaining counts down 9..0 exactly once each.
      expect(admitted.map((d) => d.remaining).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      for (const d of decisions.filter((x) => !x.allowed)) expect(d.remaining === 0 && d.retryAfterMs > 0).toBe(true)
      expect(await store.peek(key, 10, W)).toMatchObject({ allowed: false, remaining: 0 })
    }
  })
})
