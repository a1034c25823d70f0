// Budgets of a tenant: monthly caps on the runs and tokens of the tenant, a member, an API key or an agent, each
// with this month's usage of its subject. Setting and deleting are audited in their transaction; the caps are
// enforced by budgets/charge.ts when runs start.
import { AppError, notFound } from '../../errors.ts'
import type { Budget, Prisma } from '../../generated/prisma/client.ts'
import type { BudgetSubject } from '../../generated/prisma/enums.ts'
import { auditChange } from '../audit.ts'
import { diff } from '../audit-diff.ts'
import { page, type Page, type PageRequest } from '../paging.ts'
import { nextPeriod, periodStartOf } from '../quota.ts'
import type { Session } from '../session.ts'
import { Problems } from '../validation.ts'

/** Caps beyond these are mistakes, not budgets (and tokens must stay exact in a JSON number). */
export const MAX_EXECUTIONS_LIMIT = 1_000_000_000
export const MAX_TOKENS_LIMIT = 1_000_000_000_000

export interface BudgetView extends Budget {
  usedExecutions: number
  usedTokens: number
  /** First instant of the month being counted; the next month's first instant is when usage restarts. */
  periodStart: Date
  periodEnd: Date
}

export interface SetBudgetInput {
  subject: BudgetSubject
  /** Database id of the user, API key or agent; absent for TENANT. */
  subjectId?: string | null
  maxExecutions?: number | null
  maxTokens?: number | null
}

function limit(p: Problems, path: string, value: number | null | undefined, max: number): number | null {
  if (value == null) return null
  if (!Number.isSafeInteger(value)) p.add(path, 'must be a whole number')
  else if (value < 0) p.add(path, 'must not be negative')
  else if (value > max) p.add(path, `must be at most ${max}`)
  return value
}

// The subject must be the caller's own tenant, or a member, API key or agent of it; a foreign one is NOT_FOUND.
async function resolveSubject(s: Session, subject: BudgetSubject, subjectId: string | null | undefined): Promise<string> {
  if (subject === 'TENANT') {
    if (subjectId != null && subjectId !== s.principal.tenantId) throw notFound('Tenant')
    return s.principal.tenantId
  }
  if (subjectId == null) throw new AppError('VALIDATION_FAILED', `A ${subject} budget needs a subjectId.`, { fields: [{ path: 'subjectId', message: `is required for ${subject}` }] })
  const found = subject === 'USER'
    ? await s.db.client.membership.findFirst({ where: { userId: subjectId }, select: { userId: true } })
    : subject === 'API_KEY'
      ? await s.db.client.apiKey.findFirst({ where: { id: subjectId }, select: { id: true } })
      : await s.db.client.agent.findFirst({ where: { id: subjectId }, select: { id: true } })
  if (!found) throw notFound(subject === 'USER' ? 'User' : subject === 'API_KEY' ? 'API key' : 'Agent')
  return subjectId
}

const visible = (b: Pick<Budget, 'subject' | 'subjectId' | 'maxExecutions' | 'maxTokens'>) => ({
  subject: b.subject, subjectId: b.subjectId, maxExecutions: b.maxExecutions, maxTokens: b.maxTokens === null ? null : Number(b.maxTokens),
})

/** Sets (creates or replaces) the monthly budget of one subject; an absent limit means no cap on it. */
export async function setBudget(s: Session, input: SetBudgetInput): Promise<BudgetView> {
  // The subject first: an unknown one is NOT_FOUND whatever the limits, as a foreign one is.
  const subjectId = await resolveSubject(s, input.subject, input.subjectId)
  const p = new Problems()
  const maxExecutions = limit(p, 'maxExecutions', input.maxExecutions, MAX_EXECUTIONS_LIMIT)
  const maxTokens = limit(p, 'maxTokens', input.maxTokens, MAX_TOKENS_LIMIT)
  if (maxExecutions === null && maxTokens === null) p.add('maxExecutions', 'give maxExecutions, maxTokens or both')
  p.check()
  const tenantId = s.principal.tenantId
  const budget = await s.db.tx(async (tx) => {
    const key = { tenantId_subject_subjectId: { tenantId, subject: input.subject, subjectId } }
    const before = await tx.budget.findUnique({ where: key })
    const data = { maxExecutions, maxTokens: maxTokens === null ? null : BigInt(maxTokens) }
    const after = await tx.budget.upsert({ where: key, create: { tenantId, subject: input.subject, subjectId, ...data }, update: data })
    // New limits: thresholds are announced again against them (the next charge announces the level it reaches).
    const period = periodStartOf(s.deps.clock()).toISOString().slice(0, 10)
    await tx.$executeRaw`UPDATE subject_usage SET executions_alerted = 0, tokens_alerted = 0
      WHERE tenant_id = ${tenantId}::uuid AND subject = ${input.subject}::"BudgetSubject" AND subject_id = ${subjectId}::uuid AND period_start = ${period}::date`
    await auditChange(tx, s, { action: 'budget.set', resourceType: 'Budget', resourceId: after.id, changes: diff(before && visible(before), visible(after)) as Prisma.InputJsonObject })
    return after
  })
  return (await withUsage(s, [budget]))[0]!
}

/** Deletes one budget of the tenant; NOT_FOUND for a missing or foreign id. Usage keeps being counted. */
export async function deleteBudget(s: Session, input: { id: string }): Promise<string> {
  return s.db.tx(async (tx) => {
    const budget = await tx.budget.findUnique({ where: { id: input.id } })
    if (!budget) throw notFound('Budget')
    await tx.budget.delete({ where: { id: budget.id } })
    await auditChange(tx, s, { action: 'budget.delete', resourceType: 'Budget', resourceId: budget.id, changes: diff(visible(budget), null) as Prisma.InputJsonObject })
    return budget.id
  })
}

/** The tenant's budgets, newest first, each with its subject's usage this month. */
export async function listBudgets(s: Session, req: PageRequest): Promise<Page<BudgetView>> {
  const found = await page(req, 'id', (args) => s.db.client.budget.findMany(args), () => s.db.client.budget.count())
  return { ...found, rows: await withUsage(s, found.rows), keyOf: (row) => row.id }
}

// One query for the usage of a whole page of budgets.
async function withUsage(s: Session, budgets: Budget[]): Promise<BudgetView[]> {
  const periodStart = periodStartOf(s.deps.clock())
  const periodEnd = nextPeriod(periodStart)
  const usage = budgets.length
    ? await s.db.client.subjectUsage.findMany({ where: { periodStart, subjectId: { in: budgets.map((b) => b.subjectId) } } })
    : []
  const byKey = new Map(usage.map((u) => [`${u.subject}:${u.subjectId}`, u]))
  return budgets.map((b) => {
    const u = byKey.get(`${b.subject}:${b.subjectId}`)
    return { ...b, usedExecutions: u?.executions ?? 0, usedTokens: Number(u?.tokens ?? 0), periodStart, periodEnd }
  })
}
