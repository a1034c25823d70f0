// The pub/sub behind subscriptions: the same semantics in memory and on Redis, and survival of a Redis outage.
import { describe, expect, it, onTestFinished } from 'vitest'
import { pino } from 'pino'
import { createMemoryPubSub } from '../../src/pubsub/memory.ts'
import type { PubSub } from '../../src/pubsub/pubsub.ts'
import { createRedisPubSub } from '../../src/pubsub/redis.ts'
import { startRedis } from '../setup/services.ts'
import { services } from '../helpers/env.ts'
import { eventually } from '../helpers/ws.ts'

const logger = pino({ level: 'silent' })

const engines: [string, (() => PubSub) | undefined][] = [
  ['memory', createMemoryPubSub],
  ['redis', services.redisUrl ? () => createRedisPubSub(services.redisUrl!, logger) : undefined],
]

describe.each(engines)('%s pub/sub', (_name, create) => {
  const open = () => {
    const ps = create!()
    onTestFinished(() => ps.close())
    return ps
  }

  it.skipIf(!create)('delivers to every subscriber of a topic, only that topic, until unsubscribed', async () => {
    const ps = open()
    const topic = `t-${Math.random()}`
    const a: unknown[] = []
    const b: unknown[] = []
    const other: unknown[] = []
    const stopA = ps.subscribe(topic, (p) => a.push(p))
    ps.subscribe(topic, (p) => b.push(p))
    ps.subscribe(`${topic}-other`, (p) => other.push(p))
    await eventually(() => ps.ping()) // connected
    await eventually(async () => {
      await ps.publish(topic, { seq: 1 })
      expect(a.length).toBeGreaterThan(0)
    })
    await eventually(() => expect(b.length).toBe(a.length))
    stopA()
    const before = a.length
    await ps.publish(topic, { seq: 2 })
    await eventually(() => expect(b.at(-1)).toEqual({ seq: 2 }))
    expect(a.length).toBe(before)
    expect(other).toEqual([])
  })

  it.skipIf(!create)('keeps delivering to others when one listener throws', async () => {
    const ps = open()
    const topic = `t-${Math.random()}`
    const got: unknown[] = []
    ps.subscribe(topic, () => {
      throw new Error('bad listener')
    })
    ps.subscribe(topic, (p) => got.push(p))
    await eventually(async () => {
      await ps.publish(topic, 'x')
      expect(got.length).toBeGreaterThan(0)
    })
  })
})

describe.skipIf(!services.redisBin)('redis pub/sub during an outage', () => {
  it('reports publish failures without throwing and resumes delivery after Redis returns', async () => {
    let redis = await startRedis(services.redisBin!)
    const ps = createRedisPubSub(redis.url, logger)
    onTestFinished(async () => {
      await ps.close()
      await redis.stop()
    })
    const got: unknown[] = []
    ps.subscribe('outage', (p) => got.push(p))
    await eventually(async () => {
      await ps.publish('outage', 'before')
      expect(got).toContain('before')
    })

    await redis.stop()
    const started = Date.now()
    expect(await ps.publish('outage', 'during')).toBe(false)
    expect(Date.now() - started).toBeLessThan(2_000) // fails fast instead of queueing
    await expect(ps.ping()).rejects.toThrow()

    redis = await startRedis(services.redisBin!, redis.port)
    await eventually(async () => {
      await ps.publish('outage', 'after')
      expect(got).toContain('after')
    }, 10_000)
    expect(got).not.toContain('during')
  })
})
