// Admitting a run (runAgent, retryExecution, resumeExecution): counting it against the plan's monthly quota and, when
// its tenant has a budget, against the budgets of its subjects. The usage rows it takes stay locked until its
// transaction commits, so it comes at the end of a transaction, never before the run's own work: runs of one tenant
// do not queue on those rows through their creation. runAgent counts at the end of the run's own transaction
// (countRun, queue.ts#create), so a refused or failed run rolls the count back with it; retry and resume count in a
// short transaction of their own before the run's (admitRun) and give it back when no run is created. A tenant
// without budgets costs one statement here.
import type { Plan } from '../../config.ts'
import type { Tx } from '../../db/scope.ts'
import { countExecution, type CountedExecution } from '../quota.ts'
import { giveBackBudgets, takeBudgets, type Crossing, type Subject } from '../budgets/charge.ts'
import type { Session } from '../session.ts'

export interface Admission {
  /** Whether the run was counted against its subjects' budgets now (otherwise it is counted when it ends). */
  budgetCounted: boolean
  /** The budget thresholds the run crossed: announced by the run's transaction, so only for a run that exists. */
  crossings: Crossing[]
  /** Gives the counted execution back when the run is not created after all. Never throws: it logs its failure. */
  giveBack: () => Promise<void>
}

/** What countRun counted, for admissionOf once its transaction has committed. */
export interface Counted {
  period: string
  budgeted: boolean
  subjects: Subject[]
  crossings: Crossing[]
}

/**
 * Counts one run of the caller's tenant (on `plan`) against its quota and budgets inside `tx`, or refuses with
 * QUOTA_EXCEEDED or BUDGET_EXCEEDED. `subjectsOf` names the run's subjects; it is only called (inside `tx`) when the
 * tenant has a budget. The usage rows stay locked until `tx` commits: make this the last work of a short transaction.
 * The plan is known before: loading it here would wait for a second pooled connection while `tx` holds one, and under
 * a burst every connection would be held by a transaction waiting for another (a pool deadlock).
 */
export async function countRun(s: Session, tx: Tx, plan: Plan, subjectsOf: (tx: Tx) => Promise<Subject[]> | Subject[]): Promise<Counted> {
  return countBudgets(s, tx, await countExecution(s, tx, s.principal.tenantId, plan), subjectsOf)
}

/** countRun's second half, for a caller that counted the execution itself (quota.ts#executionCount). */
export async function countBudgets(s: Session, tx: Tx, counted: CountedExecution, subjectsOf: (tx: Tx) => Promise<Subject[]> | Subject[]): Promise<Counted> {
  if (!counted.budgeted) return { ...counted, subjects: [], crossings: [] }
  const subjects = await subjectsOf(tx)
  return { ...counted, subjects, crossings: await takeBudgets(tx, s.principal.tenantId, subjects, s.deps.clock()) }
}

/** The admission of a run countRun counted in a transaction that has committed. */
export function admissionOf(s: Session, counted: Counted): Admission {
  const tenantId = s.principal.tenantId
  const giveBack = async () => {
    await s.deps.db.forTenant(tenantId).tx(async (tx) => {
      // Same lock order as the count: the plan's row, then the subjects'.
      await tx.$executeRaw`
        UPDATE tenant_usage SET executions = executions - 1, updated_at = now()
        WHERE tenant_id = ${tenantId}::uuid AND period_start = ${counted.period}::date AND executions > 0`
      if (counted.subjects.length) await giveBackBudgets(tx, tenantId, counted.subjects, counted.period)
    }).catch((err: Error) => s.deps.logger.warn({ err: err.message }, 'could not give back an execution of the monthly quota and budgets'))
  }
  return { budgetCounted: counted.budgeted, crossings: counted.crossings, giveBack }
}

/** Counts one run of the caller's tenant (see countRun) in a transaction of its own. */
export async function admitRun(s: Session, subjectsOf: (tx: Tx) => Promise<Subject[]> | Subject[]): Promise<Admission> {
  const plan = await s.deps.plans.planOf(s.principal.tenantId)
  return admissionOf(s, await s.deps.db.forTenant(s.principal.tenantId).tx((tx) => countRun(s, tx, plan, subjectsOf)))
}
