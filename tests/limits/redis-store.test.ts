// The Redis store specifically: its data layout, exactness across connections and processes sharing one Redis,
// and decision-for-decision agreement with the in-memory store.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Redis } from 'ioredis'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createMemoryLimitStore } from '../../src/limits/memory-store.ts'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'
import type { LimitDecision } from '../../src/limits/store.ts'
import { services } from '../helpers/env.ts'
import { manualClock, mulberry32, silentLogger, T0, uniqueKey } from './support.ts'

const W = 60_000

describe.skipIf(!services.redisUrl)('redis limit store', () => {
  const open = (now?: () => number) => {
    const store = createRedisLimitStore(services.redisUrl!, silentLogger, { now })
    onTestFinished(() => store.close())
    return store
  }
  const admin = () => {
    const redis = new Redis(services.redisUrl!)
    onTestFinished(() => void redis.disconnect())
    return redis
  }

  it('keeps one sorted set per key under rl:, expiring when its newest hit leaves the window', async () => {
    const clock = manualClock()
    const store = open(clock.now)
    const redis = admin()
    const key = uniqueKey()
    await store.consume(key, 5, W, 2)
    clock.at(7)
    await store.consume(key, 5, W)
    const entries = await redis.zrange(`rl:${key}`, 0, -1, 'WITHSCORES')
    expect(entries.filter((_, i) => i % 2 === 1)).toEqual([String(T0), String(T0), String(T0 + 7)])
    expect(new Set(entries.filter((_, i) => i % 2 === 0)).size).toBe(3) // unique members for same-ms hits
    const ttl = await redis.pttl(`rl:${key}`)
    expect(ttl).toBeGreaterThan(W - 2_000)
    expect(ttl).toBeLessThanOrEqual(W)
    expect(await redis.exists(key)).toBe(0)
  })

  it('admits exactly `limit` in total across two connections sharing Redis', async () => {
    const [a, b] = [open(), open()]
    for (let round = 0; round < 3; round++) {
      const key = uniqueKey(`shared-${round}`)
      const calls = Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).consume(key, 10, W))
      const admitted = (await Promise.all(calls)).filter((d) => d.allowed).length
      expect(admitted).toBe(10)
    }
  })

  it('admits exactly `limit` in total across separate OS processes', async () => {
    const key = uniqueKey('processes')
    const children = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/limits/consume-process.ts', services.redisUrl!, key, '25', String(W), '200'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      })
      onTestFinished(() => void child.kill())
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      const line = async (re: RegExp) => {
        while (!re.test(out)) await once(child.stdout, 'data')
        return out.match(re)![0]
      }
      return { child, line }
    })
    await Promise.all(children.map((c) => c.line(/ready/)))
    for (const c of children) c.child.stdin.write('go\n')
    const results = await Promise.all(children.map(async (c) => JSON.parse(await c.line(/\{.*\}/)) as { admitted: number }))
    expect(results.reduce((sum, r) => sum + r.admitted, 0)).toBe(25)
    expect((await open().peek(key, 25, W)).remaining).toBe(0)
  }, 60_000)

  it('decides exactly like the memory store over a long random sequence', async () => {
    const clock = manualClock()
    const redisStore = open(clock.now)
    const memory = createMemoryLimitStore({ now: clock.now })
    onTestFinished(() => memory.close())
    const key = uniqueKey('model')
    const random = mulberry32(42)
    const seen = { allowed: 0, refused: 0, peeks: 0 }
    let t = 0
    for (let step = 0; step < 400; step++) {
      const r = random()
      t += r < 0.3 ? 0 : r < 0.6 ? Math.floor(random() * 50) : r < 0.9 ? Math.floor(random() * 3_000) : Math.floor(random() * 20_000)
      clock.at(t)
      const peek = random() < 0.15
      const cost = random() < 0.05 ? 7 : 1 + Math.floor(random() * 3)
      const run = (s: typeof memory | typeof redisStore): Promise<LimitDecision> => (peek ? s.peek(key, 6, 10_000) : s.consume(key, 6, 10_000, cost))
      const [expected, actual] = await Promise.all([run(memory), run(redisStore)])
      expect({ step, ...actual }).toEqual({ step, ...expected })
      if (peek) seen.peeks++
      else seen[expected.allowed ? 'allowed' : 'refused']++
    }
    // The sequence really exercised both outcomes (the comparison is not vacuous).
    expect(seen.allowed).toBeGreaterThan(50)
    expect(seen.refused).toBeGreaterThan(50)
    expect(seen.peeks).toBeGreaterThan(20)
  })
})
