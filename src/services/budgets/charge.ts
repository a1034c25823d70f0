// Charging runs to budgets: a run counts for its tenant, the member or API key that started it and its agent, in
// subject_usage (one row per subject and UTC month), whether or not a budget caps that subject. A tenant with a budget
// has its runs counted as they are created (takeBudgets, admitted only if no budget of their subjects is used up); a
// tenant without any pays nothing at creation and has each run counted when it ends (chargeAttempt), so a budget set
// mid-month still sees the month's finished runs. 80 % and 100 % of a limit are announced once per month as the
// tenant event (and webhook) `budget.threshold`.
import type { Principal } from '../../auth/principal.ts'
import type { Tx } from '../../db/scope.ts'
import { emitTenantEvent } from '../../events/tenant-events.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import { AppError } from '../../errors.ts'
import type { BudgetSubject } from '../../generated/prisma/enums.ts'
import type { PubSub } from '../../pubsub/pubsub.ts'
import { nextPeriod, periodStartOf } from '../quota.ts'

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

/** The subjects an existing run is charged to and whether it was counted when created (read inside `tx`). */
async function subjectsOfRun(tx: Tx, tenantId: string, executionId: string): Promise<{ subjects: Subject[]; budgetCounted: boolean }> {
  const [run] = await tx.$queryRaw<{ created_by_id: string | null; created_by_api_key_id: string | null; agent_id: string | null; budget_counted: boolean }[]>`
    SELECT created_by_id, created_by_api_key_id, agent_id, budget_counted FROM executions WHERE id = ${executionId}::uuid`
  if (!run) return { subjects: [], budgetCounted: true }
  const subjects: Subject[] = [
    { subject: 'TENANT', subjectId: tenantId },
    ...(run.created_by_id ? [{ subject: 'USER' as const, subjectId: run.created_by_id }] : []),
    ...(run.created_by_api_key_id ? [{ subject: 'API_KEY' as const, subjectId: run.created_by_api_key_id }] : []),
    ...(run.agent_id ? [{ subject: 'AGENT' as const, subjectId: run.agent_id }] : []),
  ]
  return { subjects, budgetCounted: run.budget_counted }
}

const periodOf = (at: number | Date) => periodStartOf(at).toISOString().slice(0, 10)

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

interface TakenRow extends Partial<UsageRow> {
  subject: BudgetSubject
  subject_id: string
  budget_id: string | null
  max_executions: number | null
  max_tokens: bigint | null
}

/**
 * Counts one execution for each subject inside `tx` (runs/admission.ts: the short transaction before the run's, with
 * app.tenant_id set), or refuses with BUDGET_EXCEEDED, to be rolled back with `tx`, when a budget of one of them has
 * no execution left or its tokens are used up. One statement: it reads the subjects' budgets and increments each
 * usage row only while its budget allows, locking the rows in a fixed order (tenant, caller, agent), so concurrent
 * runs can never take more executions than a budget allows; tokens are only known once a run ends, so a budget's
 * tokens can overshoot by what the runs in flight consume. Returns the thresholds crossed, for announceThresholds.
 */
export async function takeBudgets(tx: Tx, tenantId: string, subjects: Subject[], at: number): Promise<Crossing[]> {
  const periodStart = periodStartOf(at)
  const period = periodOf(at)
  const rows = await tx.$queryRaw<TakenRow[]>`
    WITH wanted AS (
      SELECT w.subject, w.subject_id, w.ord, b.id AS budget_id, b.max_executions, b.max_tokens
      FROM unnest(${subjects.map((x) => x.subject)}::text[]::"BudgetSubject"[], ${subjects.map((x) => x.subjectId)}::uuid[]) WITH ORDINALITY AS w(subject, subject_id, ord)
      LEFT JOIN budgets b ON b.tenant_id = ${tenantId}::uuid AND b.subject = w.subject AND b.subject_id = w.subject_id
    ), counted AS (
      INSERT INTO subject_usage (tenant_id, subject, subject_id, period_start, executions, updated_at)
      SELECT ${tenantId}::uuid, subject, subject_id, ${period}::date, 1, now() FROM wanted WHERE max_executions IS DISTINCT FROM 0 ORDER BY ord
      ON CONFLICT (tenant_id, subject, subject_id, period_start) DO UPDATE SET executions = subject_usage.executions + 1, updated_at = now()
        WHERE NOT EXISTS (SELECT 1 FROM budgets b WHERE b.tenant_id = subject_usage.tenant_id AND b.subject = subject_usage.subject
          AND b.subject_id = subject_usage.subject_id AND subject_usage.executions >= b.max_executions)
      RETURNING subject, subject_id, executions, tokens, executions_alerted, tokens_alerted
    )
    SELECT w.subject, w.subject_id, w.budget_id, w.max_executions, w.max_tokens, c.executions, c.tokens, c.executions_alerted, c.tokens_alerted
    FROM wanted w LEFT JOIN counted c ON c.subject = w.subject AND c.subject_id = w.subject_id ORDER BY w.ord`
  const crossings: Crossing[] = []
  for (const row of rows) {
    if (!row.budget_id) continue
    const budget: BudgetRow = { id: row.budget_id, subject: row.subject, subject_id: row.subject_id, max_executions: row.max_executions, max_tokens: row.max_tokens }
    const subject = { subject: row.subject, subjectId: row.subject_id }
    const max = row.max_executions
    if (row.executions == null) throw exceeded(budget, subject, 'executions', max ?? 0, max ?? 0, periodStart)
    const maxTokens = row.max_tokens === null ? null : Number(row.max_tokens)
    if (maxTokens !== null && Number(row.tokens) >= maxTokens) throw exceeded(budget, subject, 'tokens', maxTokens, Number(row.tokens), periodStart)
    if (max !== null) crossings.push(...(await markCrossing(tx, tenantId, subject, period, budget, 'executions', max, row.executions, row.executions_alerted!, periodStart)))
  }
  return crossings
}

/** Gives back the execution takeBudgets counted in `period` for each subject, inside `tx`. */
export async function giveBackBudgets(tx: Tx, tenantId: string, subjects: Subject[], period: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE subject_usage SET executions = executions - 1, updated_at = now()
    WHERE tenant_id = ${tenantId}::uuid AND period_start = ${period}::date AND executions > 0
      AND (subject, subject_id) IN (SELECT * FROM unnest(${subjects.map((x) => x.subject)}::text[]::"BudgetSubject"[], ${subjects.map((x) => x.subjectId)}::uuid[]))`
}

/**
 * Adds what an attempt of a run consumed to each of its subjects' month inside `tx` (the transaction ending the
 * attempt): its `tokens`, and, when the run ends (`final`) without having been counted at creation (its tenant had no
 * budget then), the execution itself. Returns the thresholds crossed, for announceThresholds.
 */
export async function chargeAttempt(tx: Tx, tenantId: string, executionId: string, a: { tokens: number; final: boolean }, at: number): Promise<Crossing[]> {
  if (!a.tokens && !a.final) return []
  const { subjects, budgetCounted } = await subjectsOfRun(tx, tenantId, executionId)
  const executions = a.final && !budgetCounted ? 1 : 0
  if (!a.tokens && !executions) return []
  const budgets = await budgetsOf(tx, tenantId, subjects)
  const periodStart = periodStartOf(at)
  const period = periodOf(at)
  const crossings: Crossing[] = []
  for (const subject of subjects) {
    const [row] = await tx.$queryRaw<UsageRow[]>`
      INSERT INTO subject_usage (tenant_id, subject, subject_id, period_start, executions, tokens, updated_at)
      VALUES (${tenantId}::uuid, ${subject.subject}::"BudgetSubject", ${subject.subjectId}::uuid, ${period}::date, ${executions}, ${a.tokens}, now())
      ON CONFLICT (tenant_id, subject, subject_id, period_start) DO UPDATE
        SET executions = subject_usage.executions + EXCLUDED.executions, tokens = subject_usage.tokens + EXCLUDED.tokens, updated_at = now()
      RETURNING executions, tokens, executions_alerted, tokens_alerted`
    const budget = budgets.get(`${subject.subject}:${subject.subjectId}`)
    if (!budget || !row) continue
    if (executions && budget.max_executions !== null) {
      crossings.push(...(await markCrossing(tx, tenantId, subject, period, budget, 'executions', budget.max_executions, row.executions, row.executions_alerted, periodStart)))
    }
    if (a.tokens && budget.max_tokens !== null) {
      crossings.push(...(await markCrossing(tx, tenantId, subject, period, budget, 'tokens', Number(budget.max_tokens), Number(row.tokens), row.tokens_alerted, periodStart)))
    }
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
