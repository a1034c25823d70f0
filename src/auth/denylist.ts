// Access tokens revoked before they expire (logout). Entries live exactly until the token would have expired.
// Redis when configured (shared by every process), in memory otherwise.
import type { Redis } from 'ioredis'
import { serviceUnavailable } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { withDeadline } from '../redis.ts'

export interface Denylist {
  add(tokenId: string, until: Date): Promise<void>
  /** `failOpen`: while the shared store is down, answer from this process's memory whatever the configured mode. */
  has(tokenId: string, opts?: { failOpen?: boolean }): Promise<boolean>
}

/** In-process denylist (embedded mode, and the fail-open fallback). */
export function createMemoryDenylist(now = Date.now): Denylist {
  const entries = new Map<string, number>()
  let lastSweep = now()
  const sweep = () => {
    if (now() - lastSweep < 60_000) return
    lastSweep = now()
    for (const [k, until] of entries) if (until <= lastSweep) entries.delete(k)
  }
  return {
    async add(tokenId, until) {
      sweep()
      entries.set(tokenId, until.getTime())
    },
    async has(tokenId) {
      const until = entries.get(tokenId)
      return until !== undefined && until > now()
    },
  }
}

/**
 * Redis denylist. When Redis cannot answer, `fail-closed` refuses the request (SERVICE_UNAVAILABLE) rather than
 * accept a token that may have been revoked; `fail-open` falls back to this process's memory.
 */
export function createRedisDenylist(redis: Redis, mode: 'fail-closed' | 'fail-open', logger: Logger): Denylist {
  const fallback = createMemoryDenylist()
  const guard = async <T>(op: () => Promise<T>, onFail: () => Promise<T>, failOpen = false): Promise<T> => {
    try {
      // A blackholed Redis never answers: the deadline keeps the refusal (or the fallback) within 200 ms.
      return await withDeadline(op(), () => new Error('token denylist did not answer in time'))
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'token denylist unavailable')
      if (mode === 'fail-closed' && !failOpen) throw serviceUnavailable(1)
      return onFail()
    }
  }
  return {
    add: (tokenId, until) =>
      guard(async () => {
        await redis.set(`dl:${tokenId}`, '1', 'PXAT', until.getTime())
        await fallback.add(tokenId, until)
      }, () => fallback.add(tokenId, until)),
    has: (tokenId, opts) => guard(async () => (await redis.exists(`dl:${tokenId}`)) === 1, () => fallback.has(tokenId), opts?.failOpen),
  }
}
