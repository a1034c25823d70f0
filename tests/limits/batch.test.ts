// The Redis store sends the counting calls made within one turn of the event loop as one script run. A batch must
// decide exactly what the same calls made one by one decide (same order, each at its own time), refusals included,
// and cost Redis one script call.
import { describe, expect, it, onTestFinished } from 'vitest'
import { Redis } from 'ioredis'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import type { LimitDecision, LimitStore } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { dedicatedRedis, manualClock, mulberry32, silentLogger, uniqueKey } from './support.ts'

/** One call of a random sequence: consume or consumeAll over three windows of a namespace, at time `t`. */
interface Call { t: number; keys: number[]; cost: number; single: boolean }
const windows = [{ limit: 3, windowMs: 40 }, { limit: 5, windowMs: 90 }, { limit: 2, windowMs: 25 }]

function sequence(seed: number, n: number): Call[] {
  const random = mulberry32(seed)
  const calls: Call[] = []
  let t = 0
  for (let i = 0; i < n; i++) {
    t += Math.floor(random() * 8)
    const single = random() < 0.3
    const keys = single ? [Math.floor(random() * 3)] : random() < 0.5 ? [0, 1] : [1, 2]
    calls.push({ t, keys, cost: random() < 0.15 ? 2 : 1, single })
  }
  return calls
}

/** Starts `call` on `store` (clock set to its time first) and returns its decisions. */
function start(store: LimitStore, clock: ReturnType<typeof manualClock>, ns: string[], call: Call): Promise<LimitDecision[]> {
  clock.at(call.t)
  const rules = call.keys.map((k) => ({ key: ns[k]!, ...windows[k]! }))
  return call.single ? store.consume(rules[0]!.key, rules[0]!.limit, rules[0]!.windowMs, call.cost).then((d) => [d]) : store.consumeAll(rules, call.cost)
}

describe.skipIf(!services.redisUrl)('batched calls in the Redis store', () => {
  it('decide exactly as the same calls made one by one, and as the memory store, refusals included', async () => {
    const clock = manualClock()
    const redis = createRedisLimitStore(services.redisUrl!, silentLogger, { now: clock.now })
    const memory = createMemoryLimitStore({ now: clock.now })
    onTestFinished(async () => void (await Promise.all([redis.close(), memory.close()])))
    const seen = { admitted: 0, refused: 0 }
    for (let round = 0; round < 5; round++) {
      const calls = sequence(round, 60)
      const [batchNs, oneByOneNs, memoryNs] = [0, 1, 2].map(() => [uniqueKey('a'), uniqueKey('b'), uniqueKey('c')])
      // All 60 started in one turn: one batch.
      const batched = await Promise.all(calls.map((c) => start(redis, clock, batchNs!, c)))
      const oneByOne: LimitDecision[][] = []
      const inMemory: LimitDecision[][] = []
      for (const c of calls) {
        oneByOne.push(await start(redis, clock, oneByOneNs!, c))
        inMemory.push(await start(memory, clock, memoryNs!, c))
      }
      calls.forEach((c, i) => {
        expect({ round, i, decisions: batched[i] }).toEqual({ round, i, decisions: oneByOne[i] })
        expect({ round, i, decisions: batched[i] }).toEqual({ round, i, decisions: inMemory[i] })
        seen[batched[i]!.every((d) => d.allowed) ? 'admitted' : 'refused']++
      })
    }
    expect(seen.admitted).toBeGreaterThan(50)
    expect(seen.refused).toBeGreaterThan(50)
  })

  it.skipIf(!services.redisBin)('costs Redis one script call for the calls of one turn', async () => {
    const server = await dedicatedRedis()
    const store = createRedisLimitStore(server.url, silentLogger)
    const admin = new Redis(server.url)
    onTestFinished(async () => {
      await store.close()
      admin.disconnect()
    })
    await store.consume(uniqueKey(), 1, 1_000) // loads the script
    const scriptCalls = async () => {
      const stats = await admin.info('commandstats')
      return [...stats.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[2]), 0)
    }
    const before = await scriptCalls()
    const tenant = uniqueKey('t')
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 2 ? store.consume(tenant, 15, 60_000).then((d) => [d]) : store.consumeAll([{ key: uniqueKey('p'), limit: 5, windowMs: 60_000 }, { key: tenant, limit: 15, windowMs: 60_000 }])))
    expect(await scriptCalls()).toBe(before + 1)
    // The tenant's window admits exactly 15 of the 20, in the order the calls were made.
    expect(decisions.map((d) => d.every((x) => x.allowed))).toEqual(Array.from({ length: 20 }, (_, i) => i < 15))
  })
})
