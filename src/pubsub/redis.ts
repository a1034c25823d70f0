import { RedisPubSub } from 'graphql-redis-subscriptions'
import type { Logger } from '../logger.ts'
import { createRedis } from '../redis.ts'
import { safeCall } from './memory.ts'
import type { PubSub } from './pubsub.ts'

/** Redis pub/sub shared by every server process. Survives outages: ioredis re-subscribes after reconnecting. */
export function createRedisPubSub(url: string, logger: Logger): PubSub {
  const publisher = createRedis(url, 'publisher', logger)
  // The subscriber queues its SUBSCRIBE commands while disconnected instead of failing them. No ready check: ioredis
  // writes a SUBSCRIBE as soon as the socket connects, and the INFO of the ready check that follows is then refused in
  // subscriber mode (an unhandled rejection, and a reconnect loop while subscriptions are made at start-up).
  const subscriber = createRedis(url, 'subscriber', logger, { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, enableReadyCheck: false })
  // graphql-redis-subscriptions drops the promises of the UNSUBSCRIBE commands it sends: one still in flight when the
  // connection closes (a shutdown, an outage) would be an unhandled rejection, which ends the process.
  for (const command of ['unsubscribe', 'punsubscribe'] as const) {
    const send = subscriber[command].bind(subscriber) as (...args: unknown[]) => Promise<unknown>
    subscriber[command] = ((...args: unknown[]) => {
      const sent = send(...args)
      sent.catch((err: Error) => logger.debug({ err: err.message }, `redis ${command} failed`))
      return sent
    }) as never
  }
  const engine = new RedisPubSub({ publisher, subscriber })
  let failures = 0
  // After close, unsubscribing (a subscription ending late in a shutdown) must not send to a closed connection: the
  // library does not handle that rejection, and an unhandled rejection ends the process.
  let closed = false
  const unsubscribe = (id: number) => {
    if (closed) return
    try {
      engine.unsubscribe(id)
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'redis unsubscribe failed')
    }
  }
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
      if (closed) return () => {}
      let id: number | undefined
      let stopped = false
      engine.subscribe(topic, (p: unknown) => safeCall(listener, p)).then(
        (subId) => {
          id = subId
          if (stopped) unsubscribe(subId)
        },
        (err: Error) => logger.warn({ err: err.message, topic }, 'redis subscribe failed'),
      )
      return () => {
        stopped = true
        if (id !== undefined) unsubscribe(id)
      }
    },
    subscriberEpoch: () => (subscriber.status === 'ready' ? epoch : undefined),
    async ping() {
      await publisher.ping()
    },
    async close() {
      closed = true
      await Promise.allSettled([publisher.quit(), subscriber.quit()])
      publisher.disconnect()
      subscriber.disconnect()
    },
  }
}
