// Monthly quotas per tenant (executions and tokens, sized by plan) and the usage they are checked against: one row
// per tenant and calendar month (UTC) in tenant_usage, incremented atomically by the runs that consume it.
// An execution counts when it is created (countExecution, through runs/admission.ts, at the end of the run's
// transaction or just before it); its tokens when an attempt ends (recordUsage, in the transaction that ends it:
// services/runs/terminal.ts).
import type { Plan, PlanQuota } from '../config.ts'
import type { AppDeps, Session } from './session.ts'
import type { Tx } from '../db/scope.ts'
import { AppError } from '../errors.ts'
import { Prisma } from '../generated/prisma/client.ts'

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

type QuotaDeps = Pick<AppDeps, 'db' | 'config' | 'plans' | 'metrics' | 'clock' | 'logger'>
/** Services take app dependencies or a caller's session. */
export type QuotaTarget = QuotaDeps | Pick<Session, 'deps'>

const depsOf = (t: QuotaTarget): QuotaDeps => ('deps' in t ? t.deps : t)

/** The first instant (UTC) of the month containing `at`. */
export function periodStartOf(at: number | Date): Date {
  const d = new Date(at)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
}

/** The first instant of the month after the period that starts at `start`. */
export const nextPeriod = (start: Date) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))

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

/** What countExecution counted: the month (a date) and whether the tenant has any budget. */
export interface CountedExecution {
  period: string
  budgeted: boolean
}

/**
 * Counts one execution against the tenant's month inside `tx`, or refuses with QUOTA_EXCEEDED (so the run is never
 * created) when the month's executions or tokens are used up. runs/admission.ts calls it at the end of a
 * transaction (runAgent's own, or a short one before a retry's or a resume's): the month's usage row is locked until
 * that commit only, so concurrent runs of one tenant do not queue on it through their whole creation. The same
 * statement tells whether the tenant has budgets, so a tenant without any pays nothing more for them. The executions
 * quota stays exact (the increment is conditional, and rolls back with a run that is not created; for retry and
 * resume a process that dies between their two transactions leaves one execution counted). A run's tokens are only
 * known once it has run, so tokens are checked, not reserved: usage can end a little above the limit, and the next
 * run is then refused.
 */
export async function countExecution(target: QuotaTarget, tx: Tx, tenantId: string, plan: Plan): Promise<CountedExecution> {
  const count = executionCount(target, tenantId, plan)
  const [taken] = await tx.$queryRaw<Taken[]>(count.sql)
  return count.settle(tx, taken)
}

/** The row the count's statement returns: none when the month's executions are used up. */
export interface Taken {
  tokens: bigint | number
  budgeted: boolean
}

/**
 * countExecution in two parts, for a caller that sends the count inside a statement of its own (runAgent's insert, as a
 * CTE): `sql`, the conditional increment returning `Taken`; `settle`, given what it returned (undefined: no row), which
 * refuses or returns what was counted.
 */
export function executionCount(target: QuotaTarget, tenantId: string, plan: Plan) {
  const deps = depsOf(target)
  const limits = deps.config.quotas[plan]
  const periodStart = periodStartOf(deps.clock())
  const period = periodStart.toISOString().slice(0, 10)
  const max = limits.executionsPerMonth
  const sql = Prisma.sql`
    INSERT INTO tenant_usage (tenant_id, period_start, executions, tokens, updated_at)
    VALUES (${tenantId}::uuid, ${period}::date, 1, 0, now())
    ON CONFLICT (tenant_id, period_start) DO UPDATE SET executions = tenant_usage.executions + 1, updated_at = now()
      WHERE ${max}::int IS NULL OR tenant_usage.executions < ${max}::int
    RETURNING tokens, EXISTS (SELECT 1 FROM budgets WHERE budgets.tenant_id = ${tenantId}::uuid) AS budgeted`
  const refuse = (quota: 'executions' | 'tokens', limit: number, used: number) => {
    deps.metrics.quotaRejections.inc({ quota })
    const resetAt = nextPeriod(periodStart)
    return new AppError('QUOTA_EXCEEDED', `This month's ${quota} quota (${limit}) is used up; it renews on ${resetAt.toISOString().slice(0, 10)}.`, {
      quota, limit, used, resetAt: resetAt.toISOString(),
    })
  }
  const settle = async (tx: Tx, taken: Taken | undefined): Promise<CountedExecution> => {
    if (!taken) {
      const [row] = await tx.$queryRaw<{ executions: number }[]>`SELECT executions FROM tenant_usage WHERE tenant_id = ${tenantId}::uuid AND period_start = ${period}::date`
      throw refuse('executions', max!, row?.executions ?? max!)
    }
    const tokens = Number(taken.tokens)
    if (limits.tokensPerMonth !== null && tokens >= limits.tokensPerMonth) throw refuse('tokens', limits.tokensPerMonth, tokens)
    return { period, budgeted: taken.budgeted }
  }
  return { sql, settle }
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
