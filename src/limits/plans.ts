// A tenant's plan tier decides its request limits and quotas. Looked up once per tenant and cached per process for
// PLAN_CACHE_SECONDS, so limiting costs no database query per request; a plan change applies within that time.
import type { Plan } from '../config.ts'
import type { Database } from '../db/client.ts'

export interface PlanCache {
  /** The tenant's plan (FREE when the tenant cannot be found: the most restrictive answer). */
  planOf(tenantId: string): Promise<Plan>
  /** The tenant's plan when cached and loaded, else undefined: lets the request limiter decide without a promise. */
  cachedPlanOf(tenantId: string): Plan | undefined
  /** Forgets a tenant's cached plan (after a plan change in this process). */
  invalidate(tenantId: string): void
}

interface Entry {
  plan: Promise<Plan>
  /** Set once `plan` resolved. */
  value?: Plan
  until: number
}

/** Creates the per-process plan cache (bounded LRU of `max` tenants). */
export function createPlanCache(db: Pick<Database, 'forTenant'>, opts: { ttlMs: number; now?: () => number; max?: number }): PlanCache {
  const now = opts.now ?? Date.now
  const max = opts.max ?? 10_000
  const entries = new Map<string, Entry>()
  const load = async (tenantId: string): Promise<Plan> => {
    const tenant = await db.forTenant(tenantId).client.tenant.findFirst({ select: { plan: true } })
    return tenant?.plan ?? 'FREE'
  }
  return {
    planOf(tenantId) {
      const t = now()
      const hit = entries.get(tenantId)
      if (hit && hit.until > t) return hit.plan
      // One lookup per tenant however many requests arrive at once; a failed lookup is not cached.
      const plan = load(tenantId)
      const entry: Entry = { plan, until: t + opts.ttlMs }
      plan.then((value) => (entry.value = value), () => entries.get(tenantId)?.plan === plan && entries.delete(tenantId))
      entries.delete(tenantId)
      if (entries.size >= max) entries.delete(entries.keys().next().value!)
      entries.set(tenantId, entry)
      return plan
    },
    cachedPlanOf(tenantId) {
      const hit = entries.get(tenantId)
      return hit && hit.until > now() ? hit.value : undefined
    },
    invalidate(tenantId) {
      entries.delete(tenantId)
    },
  }
}
