// The run queue as the metrics see it: executions not yet ended, by tenant plan and status, with the age of the
// oldest of each. Read across tenants under the worker's purpose (the claim's row-level-security policy); only
// aggregates leave this module.
import { systemTx } from '../../db/scope.ts'
import type { AppDeps } from '../session.ts'

export interface QueueStat {
  plan: string
  status: string
  count: number
  oldestAgeSeconds: number
}

/** Counts executions that have not ended, by tenant plan and status, with the oldest one's age (for /metrics). */
export async function queueStats(deps: AppDeps): Promise<QueueStat[]> {
  const rows = await systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) => tx.$queryRaw<{ tenant_id: string; status: string; n: number; age: number }[]>`
    SELECT tenant_id, status::text AS status, count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age
    FROM executions WHERE status IN ('QUEUED', 'RUNNING') GROUP BY tenant_id, status`)
  const byKey = new Map<string, QueueStat>()
  for (const r of rows) {
    const plan = (await deps.plans.planOf(r.tenant_id)).toLowerCase()
    const key = `${plan}/${r.status}`
    const s = byKey.get(key) ?? { plan, status: r.status, count: 0, oldestAgeSeconds: 0 }
    s.count += r.n
    s.oldestAgeSeconds = Math.max(s.oldestAgeSeconds, r.age)
    byKey.set(key, s)
  }
  return [...byKey.values()]
}
