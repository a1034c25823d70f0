// A short-lived, per-process cache of authenticated principals, so a credential costs one lookup per TTL instead of
// one per request. It is safe only because every change that refuses or narrows a principal (a revoked or rotated
// API key, a logout, a role change, a removed member, a changed password) is pushed to every process over pub/sub
// and drops the matching entries at once. Entries never outlive their credential's expiry, and while this process's
// pub/sub subscriber is disconnected (a revocation could be missed) the cache is neither read nor filled.
import { createHash } from 'node:crypto'
import type { Logger } from '../logger.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import type { Principal } from './principal.ts'

/** What a revocation concerns; every given field must match a principal for its entry to be dropped. */
export interface Revocation {
  tenantId?: string
  /** A user's principals, and the API keys that user created. */
  userId?: string
  apiKeyId?: string
  /** One access token (logout). */
  tokenId?: string
}

export interface PrincipalCache {
  /** The cached principal for `credential`, if fresh. */
  get(credential: string): Principal | undefined
  /** A token to pass to `set`: a lookup that raced with a revocation must not be cached. */
  begin(): number
  /** Caches `principal` until `until` (epoch ms) at the latest, unless a revocation arrived since `begin()`. */
  set(credential: string, principal: Principal, until: number | null, begun: number): void
  /**
   * Whether `principal` is an entry `get` would still answer: no revocation dropped it, it has not expired, and pub/sub
   * stayed connected since it was cached. Its tenant snapshot is then as current as its credential (a WebSocket holds
   * its principal for the socket's life, so this is asked again at each use).
   */
  isCurrent(principal: Principal): boolean
  /** Drops matching entries here now and on every other process (over pub/sub). Call after the change committed. */
  revoke(r: Revocation): Promise<void>
  close(): void
}

const topic = 'auth:revocations'

const matches = (p: Principal, r: Revocation) =>
  (r.tenantId === undefined || p.tenantId === r.tenantId) &&
  (r.apiKeyId === undefined || (p.kind === 'API_KEY' && p.apiKeyId === r.apiKeyId)) &&
  (r.tokenId === undefined || (p.kind === 'USER' && p.tokenId === r.tokenId)) &&
  (r.userId === undefined || (p.kind === 'USER' ? p.userId === r.userId : p.createdById === r.userId))

/** Builds the cache of one process; `ttlMs` 0 turns it off (every request authenticates against the database). */
export function createPrincipalCache(pubsub: PubSub, logger: Logger, opts: { ttlMs: number; max?: number; now?: () => number }): PrincipalCache {
  const { ttlMs, max = 10_000, now = Date.now } = opts
  // Keyed by a hash: the process keeps no usable secret in memory.
  type Entry = { principal: Principal; until: number; epoch: number }
  const entries = new Map<string, Entry>()
  // The entry of each cached principal object, while cached.
  const held = new WeakMap<Principal, Entry>()
  const remove = (key: string, e: Entry) => {
    entries.delete(key)
    held.delete(e.principal)
  }
  const fresh = (e: Entry) => e.until > now() && e.epoch === pubsub.subscriberEpoch()
  let revocations = 0
  const keyOf = (credential: string) => createHash('sha256').update(credential).digest('base64url')
  const drop = (r: Revocation) => {
    revocations++
    for (const [k, e] of entries) if (matches(e.principal, r)) remove(k, e)
  }
  const unsubscribe = ttlMs > 0 ? pubsub.subscribe(topic, (payload) => drop(payload as Revocation)) : () => {}
  return {
    get(credential) {
      if (ttlMs <= 0 || !entries.size) return undefined
      const key = keyOf(credential)
      const e = entries.get(key)
      if (!e) return undefined
      if (!fresh(e)) {
        remove(key, e)
        return undefined
      }
      return e.principal
    },
    begin: () => revocations,
    set(credential, principal, until, begun) {
      const epoch = pubsub.subscriberEpoch()
      if (ttlMs <= 0 || begun !== revocations || epoch === undefined) return
      if (entries.size >= max) {
        const [oldest, e] = entries.entries().next().value!
        remove(oldest, e)
      }
      const key = keyOf(credential)
      const previous = entries.get(key)
      if (previous) remove(key, previous)
      const e = { principal, until: Math.min(now() + ttlMs, until ?? Infinity), epoch }
      entries.set(key, e)
      held.set(principal, e)
    },
    isCurrent(principal) {
      const e = held.get(principal)
      return !!e && fresh(e)
    },
    async revoke(r) {
      drop(r)
      if (!(await pubsub.publish(topic, r))) {
        logger.warn({ revocation: r }, 'could not publish a revocation: other processes may accept the credential until their cache entry expires')
      }
    },
    close: unsubscribe,
  }
}
