// consumeAll: several windows (a principal's and its tenant's) decided as one atomic step, in both stores: all or
// nothing, exact under concurrency, and the Redis script deciding exactly like the memory store.
import { describe, expect, it, onTestFinished } from 'vitest'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import type { LimitDecision, LimitStore } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { manualClock, mulberry32, silentLogger, uniqueKey } from './support.ts'

const W = 60_000

const stores: [string, (now?: () => number) => LimitStore][] = [
  ['memory', (now) => createMemoryLimitStore({ now })],
  ...(services.redisUrl ? [['redis', (now?: () => number) => createRedisLimitStore(services.redisUrl!, silentLogger, { now })] as [string, (now?: () => number) => LimitStore]] : []),
]

describe.each(stores)('consumeAll (%s store)', (_name, make) => {
  const open = (now?: () => number) => {
    const store = make(now)
    onTestFinished(() => store.close())
    return store
  }

  it('records in every window or in none', async () => {
    const store = open()
    const [principal, tenant] = [uniqueKey('p'), uniqueKey('t')]
    const rules = [{ key: principal, limit: 5, windowMs: W }, { key: tenant, limit: 2, windowMs: W }]
    expect((await store.consumeAll(rules)).map((d) => d.allowed)).toEqual([true, true])
    expect((await store.consumeAll(rules)).map((d) => d.remaining)).toEqual([3, 0])
    const refused = await store.consumeAll(rules)
    expect(refused.map((d) => d.allowed)).toEqual([true, false]) // the principal's window had room, the tenant's not
    expect(refused[1]).toMatchObject({ remaining: 0, retryAfterMs: expect.any(Number) })
    expect(refused[1]!.retryAfterMs).toBeGreaterThan(0)
    // Nothing was recorded by the refusal.
    expect(await store.peek(principal, 5, W)).toMatchObject({ remaining: 3 })
    // A cost larger than a window's limit is never admitted.
    expect((await store.consumeAll([{ key: uniqueKey(), limit: 2, windowMs: W }], 3))[0]).toMatchObject({ allowed: false, retryAfterMs: W })
  })

  it('admits exactly the tightest limit of many concurrent calls sharing a window', async () => {
    const store = open()
    const tenant = uniqueKey('t')
    const principals = [uniqueKey('p'), uniqueKey('p'), uniqueKey('p')]
    const decisions = await Promise.all(Array.from({ length: 90 }, (_, i) =>
      store.consumeAll([{ key: principals[i % 3]!, limit: 4, windowMs: W }, { key: tenant, limit: 10, windowMs: W }])))
    expect(decisions.filter((d) => d.every((x) => x.allowed))).toHaveLength(10)
    expect((await store.peek(tenant, 10, W)).remaining).toBe(0)
    const perPrincipal = await Promise.all(principals.map((p) => store.peek(p, 4, W)))
    expect(perPrincipal.reduce((sum, d) => sum + (4 - d.remaining), 0)).toBe(10)
  })

  it('refuses bad rules', async () => {
    const store = open()
    await expect(store.consumeAll([])).rejects.toThrow(RangeError)
    await expect(store.consumeAll([{ key: 'same', limit: 1, windowMs: W }, { key: 'same', limit: 1, windowMs: W }])).rejects.toThrow(RangeError)
    await expect(store.consumeAll([{ key: 'k', limit: 0, windowMs: W }])).rejects.toThrow(RangeError)
  })
})

describe.skipIf(!services.redisUrl)('consumeAll in Redis', () => {
  it('decides exactly like the memory store over a long random sequence', async () => {
    const clock = manualClock()
    const redis = createRedisLimitStore(services.redisUrl!, silentLogger, { now: clock.now })
    const memory = createMemoryLimitStore({ now: clock.now })
    onTestFinished(async () => void (await Promise.all([redis.close(), memory.close()])))
    const [a, b] = [uniqueKey('a'), uniqueKey('b')]
    const random = mulberry32(7)
    const seen = { admitted: 0, refused: 0 }
    let t = 0
    for (let step = 0; step < 300; step++) {
      const r = random()
      t += r < 0.3 ? 0 : r < 0.6 ? Math.floor(random() * 50) : r < 0.9 ? Math.floor(random() * 3_000) : Math.floor(random() * 20_000)
      clock.at(t)
      const cost = random() < 0.05 ? 9 : 1 + Math.floor(random() * 2)
      const rules = random() < 0.2 ? [{ key: b, limit: 8, windowMs: 15_000 }] : [{ key: a, limit: 5, windowMs: 10_000 }, { key: b, limit: 8, windowMs: 15_000 }]
      const run = (s: LimitStore): Promise<LimitDecision[]> => s.consumeAll(rules, cost)
      const [expected, actual] = await Promise.all([run(memory), run(redis)])
      expect({ step, actual }).toEqual({ step, actual: expected })
      seen[expected.every((d) => d.allowed) ? 'admitted' : 'refused']++
    }
    expect(seen.admitted).toBeGreaterThan(40)
    expect(seen.refused).toBeGreaterThan(40)
  })
})
