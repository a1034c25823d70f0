// Monthly quotas per tenant (executions and tokens, sized by plan) and the usage they are checked against: one row
// per tenant and calendar month (UTC) in tenant_usage, incremented atomically by the runs that consume it.
//
// For the executions work: call `assertQuota(session, tenantId)` in runAgent before creating the execution, and
// `recordUsage(tx, tenantId, { executions: 1, tokens })` from the worker inside the transaction that finishes the run
// (tx must be scoped to tenantId: db.forTenant(tenantId).tx, or systemTx with that tenantId).
import type { Plan, PlanQuota } from '../config.ts'
import type { AppDeps, Session } from '../context.ts'
import type { Tx } from '../db/scope.ts'
import { AppError } from '../errors.ts'

export interface TenantUsageView {
  executions: number
  tokens: number
  /** First instant of the current month (UTC). */
  periodStart: Date
  /** First instant of the next month: when usage starts again from zero. */
  periodEnd: Date
  plan: Plan
  limits: PlanQuota
}

export interface UsageDelta {
  executions?: number
  tokens?: number
}

type QuotaDeps = Pick<AppDeps, 'db' | 'config' | 'plans' | 'metrics' | 'clock'>
/** Services take app dependencies or a caller's session. */
export type QuotaTarget = QuotaDeps | Pick<Session, 'deps'>

const depsOf = (t: QuotaTarget): QuotaDeps => ('deps' in t ? t.deps : t)

/** The first instant (UTC) of the month containing `at`. */
export function periodStartOf(at: number | Date): Date {
  const d = new Date(at)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
}

const nextPeriod = (start: Date) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))

/** The tenant's usage in the current month (by the app clock, or `at`) and its plan's limits. */
export async function getUsage(target: QuotaTarget, tenantId: string, at?: number | Date): Promise<TenantUsageView> {
  const deps = depsOf(target)
  const periodStart = periodStartOf(at ?? deps.clock())
  const [plan, row] = await Promise.all([
    deps.plans.planOf(tenantId),
    deps.db.forTenant(tenantId).client.tenantUsage.findFirst({ where: { periodStart }, select: { executions: true, tokens: true } }),
  ])
  return {
    executions: row?.executions ?? 0,
    tokens: Number(row?.tokens ?? 0),
    periodStart,
    periodEnd: nextPeriod(periodStart),
    plan,
    limits: deps.config.quotas[plan],
  }
}

/**
 * Refuses (QUOTA_EXCEEDED, before a run starts) when the tenant has used up this month's executions or tokens.
 * A check, not a reservation: runs started concurrently may each pass, and a run's tokens are only known once it
 * has run, so usage can end a little above a limit; the next run is then refused.
 */
export async function assertQuota(target: QuotaTarget, tenantId: string, at?: number | Date): Promise<TenantUsageView> {
  const deps = depsOf(target)
  const usage = await getUsage(deps, tenantId, at)
  const over = (
    [['executions', usage.executions, usage.limits.executionsPerMonth], ['tokens', usage.tokens, usage.limits.tokensPerMonth]] as const
  ).find(([, used, limit]) => limit !== null && used >= limit)
  if (over) {
    const [quota, used, limit] = over
    deps.metrics.quotaRejections.inc({ quota })
    throw new AppError('QUOTA_EXCEEDED', `This month's ${quota} quota (${limit}) is used up; it renews on ${usage.periodEnd.toISOString().slice(0, 10)}.`, {
      quota, limit, used, resetAt: usage.periodEnd.toISOString(),
    })
  }
  return usage
}

/**
 * Adds `usage` to the tenant's current month in one atomic upsert-increment (concurrent callers never lose an
 * update). `tx` must run with app.tenant_id = tenantId (row-level security refuses anything else).
 */
export async function recordUsage(tx: Tx, tenantId: string, usage: UsageDelta, at: number | Date = Date.now()): Promise<void> {
  const executions = usage.executions ?? 0
  const tokens = usage.tokens ?? 0
  for (const [name, v] of [['executions', executions], ['tokens', tokens]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`recordUsage: ${name} must be a non-negative integer (got ${v})`)
  }
  if (!executions && !tokens) return
  const period = periodStartOf(at).toISOString().slice(0, 10)
  await tx.$executeRaw`
    INSERT INTO tenant_usage (tenant_id, period_start, executions, tokens, updated_at)
    VALUES (${tenantId}::uuid, ${period}::date, ${executions}, ${tokens}, now())
    ON CONFLICT (tenant_id, period_start) DO UPDATE
      SET executions = tenant_usage.executions + EXCLUDED.executions,
          tokens = tenant_usage.tokens + EXCLUDED.tokens,
          updated_at = now()`
}
