import type { Listener, PubSub } from './pubsub.ts'

/** In-process pub/sub for the embedded mode. Delivery is asynchronous, like a broker's. */
export function createMemoryPubSub(): PubSub {
  const topics = new Map<string, Set<Listener>>()
  return {
    kind: 'memory',
    async publish(topic, payload) {
      const listeners = topics.get(topic)
      if (!listeners?.size) return true
      const copy = structuredClone(payload)
      queueMicrotask(() => {
        for (const l of [...listeners]) safeCall(l, copy)
      })
      return true
    },
    subscribe(topic, listener) {
      let set = topics.get(topic)
      if (!set) topics.set(topic, (set = new Set()))
      const own = (p: unknown) => listener(p) // a distinct function per subscription
      set.add(own)
      return () => {
        set.delete(own)
        if (!set.size) topics.delete(topic)
      }
    },
    subscriberEpoch: () => 1,
    async ping() {},
    async close() {
      topics.clear()
    },
  }
}

export function safeCall(listener: Listener, payload: unknown) {
  try {
    listener(payload)
  } catch {
    // A listener's failure is its subscription's business; it must not stop delivery to others.
  }
}
