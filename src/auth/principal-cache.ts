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
  const entries = new Map<string, { principal: Principal; until: number; epoch: number }>()
  let revocations = 0
  const keyOf = (credential: string) => createHash('sha256').update(credential).digest('base64url')
  const drop = (r: Revocation) => {
    revocations++
    for (const [k, e] of entries) if (matches(e.principal, r)) entries.delete(k)
  }
  const unsubscribe = ttlMs > 0 ? pubsub.subscribe(topic, (payload) => drop(payload as Revocation)) : () => {}
  return {
    get(credential) {
      if (ttlMs <= 0 || !entries.size) return undefined
      const key = keyOf(credential)
      const e = entries.get(key)
      if (!e) return undefined
      if (e.until <= now() || e.epoch !== pubsub.subscriberEpoch()) {
        entries.delete(key)
        return undefined
      }
      return e.principal
    },
    begin: () => revocations,
    set(credential, principal, until, begun) {
      const epoch = pubsub.subscriberEpoch()
      if (ttlMs <= 0 || begun !== revocations || epoch === undefined) return
      if (entries.size >= max) entries.delete(entries.keys().next().value!)
      entries.set(keyOf(credential), { principal, until: Math.min(now() + ttlMs, until ?? Infinity), epoch })
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
