// Charging runs to budgets: every run counts for its tenant, the member or API key that started it and its agent, in
// subject_usage (one row per subject and UTC month), whether or not a budget caps that subject. A run is admitted
// only if no budget of its subjects is used up; 80 % and 100 % of a limit are announced once per month as the tenant
// event (and webhook) `budget.threshold`.
import type { Principal } from '../../auth/principal.ts'
import type { Tx } from '../../db/scope.ts'
import { emitTenantEvent } from '../../events/tenant-events.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import { AppError } from '../../errors.ts'
import type { BudgetSubject } from '../../generated/prisma/enums.ts'
import type { PubSub } from '../../pubsub/pubsub.ts'
import { periodStartOf } from '../quota.ts'

export interface Subject {
  subject: BudgetSubject
  subjectId: string
}

export type Metric = 'executions' | 'tokens'

/** A threshold a charge crossed, announced once the caller's other writes are done (see announceThresholds). */
export interface Crossing {
  budgetId: string
  subject: Subject
  metric: Metric
  threshold: 80 | 100
  limit: number
  used: number
  periodStart: Date
}

interface BudgetRow {
  id: string
  subject: BudgetSubject
  subject_id: string
  max_executions: number | null
  max_tokens: bigint | null
}

interface UsageRow {
  executions: number
  tokens: bigint
  executions_alerted: number
  tokens_alerted: number
}

/** The subjects a run started by `principal` on `agentId` is charged to, in lock order (tenant, caller, agent). */
export function subjectsOf(principal: Principal, agentId: string | null): Subject[] {
  return [
    { subject: 'TENANT', subjectId: principal.tenantId },
    principal.kind === 'USER' ? { subject: 'USER', subjectId: principal.userId } : { subject: 'API_KEY', subjectId: principal.apiKeyId },
    ...(agentId ? [{ subject: 'AGENT' as const, subjectId: agentId }] : []),
  ]
}

/** The subjects an existing run is charged to (read inside `tx`, which must see the run). */
export async function subjectsOfRun(tx: Tx, tenantId: string, executionId: string): Promise<Subject[]> {
  const [run] = await tx.$queryRaw<{ created_by_id: string | null; created_by_api_key_id: string | null; agent_id: string | null }[]>`
    SELECT created_by_id, created_by_api_key_id, agent_id FROM executions WHERE id = ${executionId}::uuid`
  if (!run) return []
  return [
    { subject: 'TENANT', subjectId: tenantId },
    ...(run.created_by_id ? [{ subject: 'USER' as const, subjectId: run.created_by_id }] : []),
    ...(run.created_by_api_key_id ? [{ subject: 'API_KEY' as const, subjectId: run.created_by_api_key_id }] : []),
    ...(run.agent_id ? [{ subject: 'AGENT' as const, subjectId: run.agent_id }] : []),
  ]
}

const periodOf = (at: number | Date) => periodStartOf(at).toISOString().slice(0, 10)
const nextPeriod = (start: Date) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))

async function budgetsOf(tx: Tx, tenantId: string, subjects: Subject[]): Promise<Map<string, BudgetRow>> {
  const rows = await tx.$queryRaw<BudgetRow[]>`
    SELECT id, subject, subject_id, max_executions, max_tokens FROM budgets
     WHERE tenant_id = ${tenantId}::uuid AND subject_id = ANY(${subjects.map((s) => s.subjectId)}::uuid[])`
  return new Map(rows.map((b) => [`${b.subject}:${b.subject_id}`, b]))
}

const levelOf = (used: number, limit: number): 0 | 80 | 100 => (used >= limit ? 100 : used * 5 >= limit * 4 ? 80 : 0)

function exceeded(budget: BudgetRow, subject: Subject, metric: Metric, limit: number, used: number, periodStart: Date) {
  const resetAt = nextPeriod(periodStart)
  return new AppError('BUDGET_EXCEEDED', `The ${subject.subject.toLowerCase().replace('_', ' ')} budget of ${limit} ${metric} this month is used up; it renews on ${resetAt.toISOString().slice(0, 10)}.`, {
    scope: subject.subject, subjectId: encodeGlobalId(subjectTypename[subject.subject], subject.subjectId), budgetId: encodeGlobalId('Budget', budget.id),
    metric, limit, used, resetAt: resetAt.toISOString(),
  })
}

/** GraphQL type of each kind of subject (for global ids). */
export const subjectTypename: Record<BudgetSubject, string> = { TENANT: 'Tenant', USER: 'User', API_KEY: 'ApiKey', AGENT: 'Agent' }

/**
 * Counts one execution for each subject inside `tx` (the transaction creating the run, with app.tenant_id set), or
 * refuses with BUDGET_EXCEEDED, rolling back with `tx`, when a budget of one of them has no execution left or its
 * tokens are used up. Each increment is conditional on the row it locks, so concurrent runs can never take more
 * executions than a budget allows; tokens are only known once a run ends, so a budget's tokens can overshoot by what
 * the runs in flight consume. Returns the thresholds crossed, for announceThresholds once the run exists.
 */
export async function takeBudgets(tx: Tx, tenantId: string, subjects: Subject[], at: number): Promise<Crossing[]> {
  const budgets = await budgetsOf(tx, tenantId, subjects)
  const periodStart = periodStartOf(at)
  const period = periodOf(at)
  const crossings: Crossing[] = []
  for (const subject of subjects) {
    const budget = budgets.get(`${subject.subject}:${subject.subjectId}`)
    const max = budget?.max_executions ?? null
    if (budget && max === 0) throw exceeded(budget, subject, 'executions', 0, 0, periodStart)
    const [row] = await tx.$queryRaw<UsageRow[]>`
      INSERT INTO subject_usage (tenant_id, subject, subject_id, period_start, executions, updated_at)
      VALUES (${tenantId}::uuid, ${subject.subject}::"BudgetSubject", ${subject.subjectId}::uuid, ${period}::date, 1, now())
      ON CONFLICT (tenant_id, subject, subject_id, period_start) DO UPDATE
        SET executions = subject_usage.executions + 1, updated_at = now()
        WHERE ${max}::int IS NULL OR subject_usage.executions < ${max}::int
      RETURNING executions, tokens, executions_alerted, tokens_alerted`
    if (!budget) continue
    if (!row) throw exceeded(budget, subject, 'executions', max!, max!, periodStart)
    const maxTokens = budget.max_tokens === null ? null : Number(budget.max_tokens)
    if (maxTokens !== null && Number(row.tokens) >= maxTokens) throw exceeded(budget, subject, 'tokens', maxTokens, Number(row.tokens), periodStart)
    if (max !== null) crossings.push(...(await markCrossing(tx, tenantId, subject, period, budget, 'executions', max, row.executions, row.executions_alerted, periodStart)))
  }
  return crossings
}

/**
 * Adds `tokens` to each subject's month inside `tx` (the transaction ending a run's attempt); returns the token
 * thresholds crossed, for announceThresholds.
 */
export async function chargeTokens(tx: Tx, tenantId: string, subjects: Subject[], tokens: number, at: number): Promise<Crossing[]> {
  if (!tokens) return []
  const budgets = await budgetsOf(tx, tenantId, subjects)
  const periodStart = periodStartOf(at)
  const period = periodOf(at)
  const crossings: Crossing[] = []
  for (const subject of subjects) {
    const [row] = await tx.$queryRaw<UsageRow[]>`
      INSERT INTO subject_usage (tenant_id, subject, subject_id, period_start, tokens, updated_at)
      VALUES (${tenantId}::uuid, ${subject.subject}::"BudgetSubject", ${subject.subjectId}::uuid, ${period}::date, ${tokens}, now())
      ON CONFLICT (tenant_id, subject, subject_id, period_start) DO UPDATE SET tokens = subject_usage.tokens + EXCLUDED.tokens, updated_at = now()
      RETURNING executions, tokens, executions_alerted, tokens_alerted`
    const budget = budgets.get(`${subject.subject}:${subject.subjectId}`)
    if (!budget || budget.max_tokens === null || !row) continue
    crossings.push(...(await markCrossing(tx, tenantId, subject, period, budget, 'tokens', Number(budget.max_tokens), Number(row.tokens), row.tokens_alerted, periodStart)))
  }
  return crossings
}

// The usage row is locked by the increment just made, so "announced already?" cannot race with another charge.
async function markCrossing(tx: Tx, tenantId: string, subject: Subject, period: string, budget: BudgetRow, metric: Metric, limit: number, used: number, alerted: number, periodStart: Date): Promise<Crossing[]> {
  const level = limit === 0 ? 100 : levelOf(used, limit)
  if (level <= alerted) return []
  if (metric === 'executions') {
    await tx.$executeRaw`UPDATE subject_usage SET executions_alerted = ${level} WHERE tenant_id = ${tenantId}::uuid AND subject = ${subject.subject}::"BudgetSubject" AND subject_id = ${subject.subjectId}::uuid AND period_start = ${period}::date`
  } else {
    await tx.$executeRaw`UPDATE subject_usage SET tokens_alerted = ${level} WHERE tenant_id = ${tenantId}::uuid AND subject = ${subject.subject}::"BudgetSubject" AND subject_id = ${subject.subjectId}::uuid AND period_start = ${period}::date`
  }
  return [{ budgetId: budget.id, subject, metric, threshold: level as 80 | 100, limit, used, periodStart }]
}

/**
 * Emits `budget.threshold` for each crossing inside `tx`. Called last in the transaction: the tenant's event log is
 * locked after usage and runs everywhere, and taking it earlier deadlocked-prone orders (see services/runs/terminal.ts).
 */
export async function announceThresholds(deps: { pubsub: PubSub }, tx: Tx, tenantId: string, crossings: Crossing[]): Promise<void> {
  for (const c of crossings) {
    await emitTenantEvent(deps, tx, tenantId, {
      type: 'budget.threshold', resourceType: 'Budget', resourceId: c.budgetId,
      data: {
        budgetId: encodeGlobalId('Budget', c.budgetId), subject: c.subject.subject, subjectId: encodeGlobalId(subjectTypename[c.subject.subject], c.subject.subjectId),
        metric: c.metric, threshold: c.threshold, limit: c.limit, used: c.used, periodStart: c.periodStart.toISOString(), resetAt: nextPeriod(c.periodStart).toISOString(),
      },
    })
  }
}
