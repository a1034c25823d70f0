import { RedisPubSub } from 'graphql-redis-subscriptions'
import type { Logger } from '../logger.ts'
import { createRedis } from '../redis.ts'
import { safeCall } from './memory.ts'
import type { PubSub } from './pubsub.ts'

/** Redis pub/sub shared by every server process. Survives outages: ioredis re-subscribes after reconnecting. */
export function createRedisPubSub(url: string, logger: Logger): PubSub {
  const publisher = createRedis(url, 'publisher', logger)
  // The subscriber queues its SUBSCRIBE commands while disconnected instead of failing them.
  const subscriber = createRedis(url, 'subscriber', logger, { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined })
  const engine = new RedisPubSub({ publisher, subscriber })
  let failures = 0
  let epoch = 0
  subscriber.on('ready', () => epoch++)
  return {
    kind: 'redis',
    async publish(topic, payload) {
      try {
        await engine.publish(topic, payload)
        return true
      } catch (err) {
        if (failures++ % 100 === 0) logger.warn({ err: (err as Error).message, failures }, 'redis publish failed')
        return false
      }
    },
    subscribe(topic, listener) {
      let id: number | undefined
      let stopped = false
      engine.subscribe(topic, (p: unknown) => safeCall(listener, p)).then(
        (subId) => {
          id = subId
          if (stopped) engine.unsubscribe(subId)
        },
        (err: Error) => logger.warn({ err: err.message, topic }, 'redis subscribe failed'),
      )
      return () => {
        stopped = true
        if (id !== undefined) engine.unsubscribe(id)
      }
    },
    subscriberEpoch: () => (subscriber.status === 'ready' ? epoch : undefined),
    async ping() {
      await publisher.ping()
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()])
      publisher.disconnect()
      subscriber.disconnect()
    },
  }
}
