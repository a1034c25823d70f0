// Budgets are taken with the plan's quota at the end of the run's own transaction (the quota with the run's inserts),
// so runs of one tenant never queue on their usage rows while they are created: the statements each runAgent sends prove it, as they
// prove that a tenant without budgets sends no budget statement of its own. A run that is not created rolls its count
// back (runAgent) or gives it back (retryExecution, counted before its transaction), to the quota and every budget;
// retryExecution is charged (and refused) as runAgent is.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No worker: runs stay QUEUED and no polling is counted. Plans and principals stay cached through a measurement.
  t = await startApp({ WORKERS: '0', PLAN_CACHE_SECONDS: '3600', PRINCIPAL_CACHE_SECONDS: '300' }, { database: { onQuery: (sql) => statements?.push(sql) } })
})

const rawId = (globalId: string) => decodeGlobalID(globalId).id
const runAgent = (s: Session, input: Record<string, unknown>) =>
  t.gql<{ runAgent: { execution: { id: string; thread: { id: string } } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id thread { id } } } }', { input }, s.headers)
const setBudget = (s: Session, input: Record<string, unknown>) =>
  t.gql('mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }', { i: input }, s.headers)
const retry = (s: Session, id: string) => t.gql<{ retryExecution: { execution: { id: string } } }>('mutation($id: ID!) { retryExecution(input: { id: $id }) { execution { id } } }', { id }, s.headers)
const cancel = (s: Session, id: string) => t.gql('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id }, s.headers)

/** Each subject's executions counted this month, and the plan quota's, as stored. */
async function counted(s: Session) {
  const db = t.app.deps.db.forTenant(rawId(s.tenantId)).client
  const subjects = await db.subjectUsage.findMany({ select: { subject: true, executions: true } })
  const plan = await db.tenantUsage.findMany({ select: { executions: true } })
  return { plan: plan.reduce((n, r) => n + r.executions, 0), ...Object.fromEntries(subjects.map((r) => [r.subject, r.executions])) }
}

/** The statements of one runAgent, split into transactions (each ends with its COMMIT). */
async function transactionsOf(s: Session, input: Record<string, unknown>) {
  statements = []
  const r = await runAgent(s, input)
  const sent = statements
  statements = undefined
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  const txs: string[][] = [[]]
  for (const sql of sent) {
    txs.at(-1)!.push(sql)
    if (/^\s*COMMIT/i.test(sql)) txs.push([])
  }
  return { sent, txs: txs.filter((x) => x.length) }
}

const touchesUsage = (sql: string) => /\b(subject_usage|tenant_usage)\b|"(subject_usage|tenant_usage)"/.test(sql)
const touchesBudgets = (sql: string) => /\bbudgets\b|"budgets"|\bsubject_usage\b/.test(sql)

describe('budget admission', () => {
  it('a budgeted run is counted with the run\'s inserts, its budgets in one statement before its tenant event', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    expect((await setBudget(s, { subject: 'AGENT', subjectId: agentId, maxExecutions: 100 })).body.errors).toBeUndefined()
    await run(t, s, { agentId, prompt: 'warm up' })
    const { txs } = await transactionsOf(s, { agentId, prompt: 'measured' })
    // One transaction creates and counts the run (the other reads the selected thread for the answer).
    const sent = txs.find((x) => x.some((sql) => /INSERT INTO executions/.test(sql)))!
    expect(txs.filter((x) => x.some(touchesUsage))).toEqual([sent])
    const at = (re: RegExp) => sent.findIndex((sql) => re.test(sql))
    // The quota's conditional increment with the run's inserts, then every subject's in one statement; then the
    // tenant's event (endRun's lock order: usage, then the event log).
    expect(sent.filter(touchesUsage)).toHaveLength(2)
    expect(sent.filter((sql) => /subject_usage/.test(sql))).toHaveLength(1)
    expect(sent[at(/INSERT INTO tenant_usage/)]).toMatch(/INSERT INTO executions/)
    expect(at(/subject_usage/)).toBe(at(/INSERT INTO tenant_usage/) + 1)
    expect(at(/UPDATE tenants SET event_seq/)).toBe(at(/subject_usage/) + 1)
    expect(await counted(s)).toMatchObject({ plan: 2, TENANT: 2, USER: 2, AGENT: 2 })
  })

  it('a tenant without budgets sends no budget statement of its own when a run is created', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    await run(t, s, { agentId, prompt: 'warm up' })
    const { sent } = await transactionsOf(s, { agentId, prompt: 'measured' })
    // Only the quota's increment asks "does the tenant have any?" (the run stores the answer as budget_counted).
    // Nothing else mentions budgets.
    const budgetStatements = sent.filter(touchesBudgets)
    expect(budgetStatements).toHaveLength(1)
    expect(budgetStatements[0]).toMatch(/INSERT INTO tenant_usage[\s\S]*FROM budgets[\s\S]*INSERT INTO executions/)
    // Its runs are counted for their subjects when they end, not now.
    expect(await counted(s)).toEqual({ plan: 2 })
  })

  it('a run that is not created leaves the quota and every budget as they were', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    const budget = await setBudget(s, { subject: 'TENANT', maxExecutions: 10 })
    expect(budget.body.errors, JSON.stringify(budget.body.errors)).toBeUndefined()
    const first = await runAgent(s, { agentId, prompt: 'busy' })
    const threadId = first.body.data!.runAgent.execution.thread.id
    const before = await counted(s)
    expect(before).toMatchObject({ plan: 1, TENANT: 1, USER: 1, AGENT: 1 })
    const refused = await runAgent(s, { agentId, prompt: 'rejected', threadId, multitaskStrategy: 'REJECT' })
    expect(codeOf(refused)).toBe('THREAD_BUSY')
    expect(await counted(s)).toEqual(before)
  })

  it('a refused budget rolls back the quota and the other subjects', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    expect((await setBudget(s, { subject: 'AGENT', subjectId: agentId, maxExecutions: 0 })).body.errors).toBeUndefined()
    expect(codeOf(await runAgent(s, { agentId, prompt: 'none allowed' }))).toBe('BUDGET_EXCEEDED')
    expect(await counted(s)).toEqual({ plan: 0 })
  })

  it('retryExecution is charged to the budgets, refused when one is used up, and gives back when refused later', async () => {
    const s = await signUp(t)
    const agentId = await seedAgent(t, s)
    const e = await run(t, s, { agentId, prompt: 'to retry' })
    expect((await cancel(s, e.id)).body.errors).toBeUndefined()
    // The tenant had no budget when the run was created, and a cancelled queued run never ran: nothing counted yet.
    expect((await setBudget(s, { subject: 'AGENT', subjectId: agentId, maxExecutions: 1 })).body.errors).toBeUndefined()
    const retried = await retry(s, e.id)
    expect(retried.body.errors).toBeUndefined()
    expect(await counted(s)).toMatchObject({ plan: 2, AGENT: 1 })
    const refused = await retry(s, e.id)
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', scope: 'AGENT', limit: 1, used: 1 })
    expect(await counted(s)).toMatchObject({ plan: 2, AGENT: 1 })
    // Admitted, then refused by the run's own checks (a QUEUED run cannot be retried): everything is given back.
    expect((await setBudget(s, { subject: 'AGENT', subjectId: agentId, maxExecutions: 5 })).body.errors).toBeUndefined()
    expect(codeOf(await retry(s, retried.body.data!.retryExecution.execution.id))).toBe('CONFLICT')
    expect(await counted(s)).toMatchObject({ plan: 2, TENANT: 1, USER: 1, AGENT: 1 })
  })
})
