// Human in the loop: a call of a tool with requiresApproval ends the run INTERRUPTED (AG-UI RUN_FINISHED with an
// interrupt outcome) before the tool runs; resumeExecution answers it with a new run on the thread (approve, edit,
// reject), audited per decision; bad answers are typed errors that change nothing.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw } from '../helpers/agents.ts'
import { eventLog, run, until, verify, type LoggedEvent } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

let t: TestApp
let s: Session
let other: Session
let skewMs = 0
beforeAll(async () => {
  t = await startApp({ WORKERS: '2' }, { listen: true, clock: () => Date.now() + skewMs })
  ;[s, other] = await Promise.all([signUp(t), signUp(t)])
})

export const INTERRUPT_FIELDS = 'id reason message toolCallId toolName arguments responseSchema expiresAt resolvedAt status'
export type InterruptView = { id: string; reason: string; message: string; toolCallId: string; toolName: string; arguments: string; responseSchema: Record<string, unknown>; expiresAt: string; resolvedAt: string | null; status: string | null }
const RESUME = `mutation($input: ResumeExecutionInput!) { resumeExecution(input: $input) { execution { id status output resumeOf { id } thread { id } } } }`
type Resumed = { resumeExecution: { execution: { id: string; status: string; output: string; resumeOf: { id: string }; thread: { id: string } } } }

/** A built-in echo tool that needs approval, and an agent using it (plus `extra` tools). */
async function approvalAgent(session: Session, names: string[] = ['deploy']): Promise<string> {
  const toolIds: string[] = []
  for (const name of names) {
    const r = await t.gql<{ createTool: { tool: { id: string; requiresApproval: boolean } } }>(
      'mutation($n: String!) { createTool(input: { name: $n, description: "echo", kind: BUILTIN, handler: "echo", requiresApproval: true }) { tool { id requiresApproval } } }', { n: `${name}` }, session.headers)
    if (r.body.errors) {
      const found = await t.gql<{ tools: { edges: { node: { id: string; name: string } }[] } }>('query($q: String!) { tools(first: 10, filter: { search: $q }) { edges { node { id name } } } }', { q: name }, session.headers)
      toolIds.push(found.body.data!.tools.edges.find((e) => e.node.name === name)!.node.id)
    } else {
      expect(r.body.data!.createTool.tool.requiresApproval).toBe(true)
      toolIds.push(r.body.data!.createTool.tool.id)
    }
  }
  const a = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
    input: { name: `hitl ${randomUUID().slice(0, 8)}`, model: 'mock-1', systemPrompt: 'You are careful.', toolIds, timeoutSeconds: 30, maxToolCalls: 5 },
  }, session.headers)
  expect(a.body.errors, JSON.stringify(a.body.errors)).toBeUndefined()
  return a.body.data!.createAgent.agent.id
}

async function interruptsOf(session: Session, id: string) {
  const r = await t.gql<{ execution: { status: string; interrupts: InterruptView[] } }>(`query($id: ID!) { execution(id: $id) { status interrupts { ${INTERRUPT_FIELDS} } } }`, { id }, session.headers)
  return r.body.data!.execution
}

async function interrupted(session = s, prompt = 'please deploy the site [[mock:call=deploy]]', agentId?: string) {
  const agent = agentId ?? (await approvalAgent(session))
  const e = await run(t, session, { agentId: agent, prompt, wait: true })
  expect(e.status).toBe('INTERRUPTED')
  return { agent, execution: e, ...(await interruptsOf(session, e.id)) }
}

const resume = (session: Session, input: Record<string, unknown>) => t.gql<Resumed>(RESUME, { input }, session.headers)
const totalRuns = async (session: Session) => (await t.gql<{ executions: { totalCount: number } }>('query { executions(first: 1) { totalCount } }', {}, session.headers)).body.data!.executions.totalCount
const results = (log: LoggedEvent[]) => log.filter((e) => e.type === 'TOOL_CALL_RESULT').map((e) => e.event as unknown as { toolCallId: string; content: string })
const auditOf = (session: Session, id: string) => t.app.deps.db.forTenant(raw(session.tenantId)).client.auditLog.findMany({ where: { resourceId: raw(id) }, orderBy: { at: 'asc' } })

describe('an approval interrupt', () => {
  it('ends the run INTERRUPTED before the tool runs, with an AG-UI interrupt outcome that passes verifyEvents', async () => {
    const { execution, interrupts } = await interrupted()
    expect(interrupts).toEqual([expect.objectContaining({ reason: 'tool_approval', toolName: 'deploy', resolvedAt: null, status: null, toolCallId: expect.any(String) })])
    const [i] = interrupts
    expect(new Date(i!.expiresAt).getTime() - Date.now()).toBeGreaterThan(86_000 * 1000)
    expect(i!.responseSchema).toMatchObject({ type: 'object', properties: { editedArgs: { type: 'object' } } })
    const log = await eventLog(t, s, execution.id)
    await verify(log.map((e) => e.event))
    expect(results(log)).toEqual([]) // the held-back call did not run
    expect(log.some((e) => e.type === 'TOOL_CALL_START' && e.event.toolCallId === i!.toolCallId)).toBe(true)
    expect(log.at(-1)!.event).toMatchObject({
      type: 'RUN_FINISHED',
      outcome: { type: 'interrupt', interrupts: [{ id: i!.id, reason: 'tool_approval', toolCallId: i!.toolCallId, expiresAt: i!.expiresAt, responseSchema: i!.responseSchema, message: i!.message }] },
    })
  })

  it('approved: a new run on the thread runs the held-back call, then answers; audited as interrupt.approve', async () => {
    const { execution, interrupts } = await interrupted()
    const r = await resume(s, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }], wait: true })
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const next = r.body.data!.resumeExecution.execution
    expect(next).toMatchObject({ status: 'SUCCEEDED', resumeOf: { id: execution.id } })
    expect(next.id).not.toBe(execution.id)
    const log = await eventLog(t, s, next.id)
    await verify(log.map((e) => e.event))
    expect(results(log)).toEqual([{ toolCallId: interrupts[0]!.toolCallId, content: expect.stringContaining('please deploy the site'), messageId: expect.any(String), role: 'tool', timestamp: expect.any(Number), type: 'TOOL_CALL_RESULT' }])
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })

    const after = await interruptsOf(s, execution.id)
    expect(after.status).toBe('INTERRUPTED')
    expect(after.interrupts[0]).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) })
    const thread = await t.gql<{ thread: { messages: { role: string; toolCallId: string | null; toolCalls: { id: string }[] | null }[] } }>(
      'query($id: ID!) { thread(id: $id) { messages { role toolCallId toolCalls { id } } } }', { id: next.thread.id }, s.headers)
    expect(thread.body.data!.thread.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(thread.body.data!.thread.messages[2]!.toolCallId).toBe(interrupts[0]!.toolCallId)
    const audit = await auditOf(s, execution.id)
    expect(audit.filter((a) => a.action.startsWith('interrupt.')).map((a) => [a.action, (a.metadata as { interruptId: string }).interruptId, (a.metadata as { edited: boolean }).edited]))
      .toEqual([['interrupt.approve', interrupts[0]!.id, false]])
  })

  it('approved with edited arguments: the tool runs with the edit', async () => {
    const { execution, interrupts } = await interrupted()
    const r = await resume(s, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED', payload: { editedArgs: { text: 'edited by a person' } } }], wait: true })
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const log = await eventLog(t, s, r.body.data!.resumeExecution.execution.id)
    expect(results(log).map((x) => JSON.parse(x.content))).toEqual([{ text: 'edited by a person' }])
    expect((await auditOf(s, execution.id)).find((a) => a.action === 'interrupt.approve')!.metadata).toMatchObject({ edited: true })
  })

  it('rejected: the tool does not run and the model is told; audited as interrupt.reject', async () => {
    const { execution, interrupts } = await interrupted()
    const r = await resume(s, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'CANCELLED', payload: { reason: 'not on a Friday' } }], wait: true })
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const next = r.body.data!.resumeExecution.execution
    expect(next.status).toBe('SUCCEEDED')
    const log = await eventLog(t, s, next.id)
    await verify(log.map((e) => e.event))
    const [refusal] = results(log)
    expect(JSON.parse(refusal!.content)).toEqual({ error: expect.stringContaining('refused'), reason: 'not on a Friday' })
    expect((await auditOf(s, execution.id)).filter((a) => a.action.startsWith('interrupt.')).map((a) => a.action)).toEqual(['interrupt.reject'])
    expect((await interruptsOf(s, execution.id)).interrupts[0]).toMatchObject({ status: 'CANCELLED' })
  })

  it('is reported as a tenantEvents execution.interrupted event and an execution.interrupted webhook outcome', async () => {
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    const sub = ws.start<{ tenantEvents: { type: string; resourceId: string } }>('subscription { tenantEvents(types: ["execution.interrupted"]) { type resourceId } }')
    await new Promise((r) => setTimeout(r, 200)) // the subscription is live before the run
    const { execution } = await interrupted()
    await eventually(() => expect(sub.results.map((x) => x.data?.tenantEvents)).toEqual([{ type: 'execution.interrupted', resourceId: execution.id }]))
    sub.stop()
    await ws.client.dispose()
    const outbox = await t.app.deps.db.forTenant(raw(s.tenantId)).client.tenantEvent.findMany({ where: { resourceId: raw(execution.id), type: 'execution.interrupted' } })
    expect(outbox).toHaveLength(1)
  })
})

describe('bad answers change nothing', () => {
  async function unchanged(session: Session, id: string, fn: () => Promise<void>) {
    const before = [await totalRuns(session), JSON.stringify((await interruptsOf(session, id)).interrupts)]
    await fn()
    expect([await totalRuns(session), JSON.stringify((await interruptsOf(session, id)).interrupts)]).toEqual(before)
  }

  it('another tenant’s execution: NOT_FOUND', async () => {
    const { execution, interrupts } = await interrupted()
    await unchanged(s, execution.id, async () => {
      expect(codeOf(await resume(other, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }] }))).toBe('NOT_FOUND')
    })
  })

  it('a run that is not INTERRUPTED: CONFLICT', async () => {
    const ok = await run(t, s, { agentId: await approvalAgent(s), prompt: 'just talk', wait: true })
    expect(ok.status).toBe('SUCCEEDED')
    const before = await totalRuns(s)
    expect(codeOf(await resume(s, { executionId: ok.id, resume: [{ interruptId: randomUUID(), status: 'RESOLVED' }] }))).toBe('CONFLICT')
    expect(await totalRuns(s)).toBe(before)
  })

  it('unknown or duplicate interrupt ids, a missing answer, a payload off its schema: VALIDATION_FAILED', async () => {
    const agent = await approvalAgent(s, ['deploy', 'publish'])
    const { execution, interrupts } = await interrupted(s, 'deploy and then publish the site', agent)
    expect(interrupts.map((i) => i.toolName)).toEqual(['deploy', 'publish'])
    const [a, b] = interrupts
    await unchanged(s, execution.id, async () => {
      const unknown = await resume(s, { executionId: execution.id, resume: [{ interruptId: a!.id, status: 'RESOLVED' }, { interruptId: randomUUID(), status: 'RESOLVED' }] })
      expect([codeOf(unknown), unknown.body.errors![0]!.extensions.fields]).toEqual(['VALIDATION_FAILED', [{ path: 'resume.1.interruptId', message: 'is not an interrupt of this execution' }]])
      const duplicate = await resume(s, { executionId: execution.id, resume: [{ interruptId: a!.id, status: 'RESOLVED' }, { interruptId: a!.id, status: 'CANCELLED' }] })
      expect([codeOf(duplicate), duplicate.body.errors![0]!.extensions.fields]).toEqual(['VALIDATION_FAILED', [expect.objectContaining({ path: 'resume.1.interruptId' })]])
      const missing = await resume(s, { executionId: execution.id, resume: [{ interruptId: a!.id, status: 'RESOLVED' }] })
      expect([codeOf(missing), missing.body.errors![0]!.extensions.fields]).toEqual(['VALIDATION_FAILED', [{ path: 'resume', message: expect.stringContaining(b!.id) }]])
      const offSchema = await resume(s, { executionId: execution.id, resume: [{ interruptId: a!.id, status: 'RESOLVED', payload: { editedArgs: { text: 42 } } }, { interruptId: b!.id, status: 'RESOLVED', payload: { approve: 'yes' } }] })
      expect(codeOf(offSchema)).toBe('VALIDATION_FAILED')
      expect((offSchema.body.errors![0]!.extensions.fields as { path: string }[]).map((f) => f.path)).toEqual(['resume.0.payload.editedArgs.text', 'resume.1.payload.approve'])
      expect(codeOf(await resume(s, { executionId: execution.id, resume: [] }))).toBe('VALIDATION_FAILED')
    })
    // Both answered at once: one continuation runs both decisions.
    const r = await resume(s, { executionId: execution.id, resume: [{ interruptId: b!.id, status: 'CANCELLED' }, { interruptId: a!.id, status: 'RESOLVED' }], wait: true })
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const log = await eventLog(t, s, r.body.data!.resumeExecution.execution.id)
    await verify(log.map((e) => e.event))
    expect(results(log).map((x) => x.toolCallId).sort()).toEqual([a!.toolCallId, b!.toolCallId].sort())
  })

  it('already answered: CONFLICT; the same idempotencyKey answers with the same run', async () => {
    const { execution, interrupts } = await interrupted()
    const input = { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }], idempotencyKey: `k-${randomUUID()}` }
    const first = await resume(s, input)
    const again = await resume(s, input)
    expect(again.body.data!.resumeExecution.execution.id).toBe(first.body.data!.resumeExecution.execution.id)
    await until(t, s, first.body.data!.resumeExecution.execution.id, ['SUCCEEDED', 'FAILED'])
    await unchanged(s, execution.id, async () => {
      expect(codeOf(await resume(s, { ...input, idempotencyKey: undefined }))).toBe('CONFLICT')
    })
  })

  it('after expiry: INTERRUPT_EXPIRED', async () => {
    const { execution, interrupts } = await interrupted()
    skewMs = 86_401_000 // INTERRUPT_TTL_SECONDS defaults to a day
    try {
      await unchanged(s, execution.id, async () => {
        const r = await resume(s, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }] })
        expect([codeOf(r), r.body.errors![0]!.extensions.interruptId]).toEqual(['INTERRUPT_EXPIRED', interrupts[0]!.id])
      })
    } finally {
      skewMs = 0
    }
  })
})

describe('budgets', () => {
  it('a continuation is charged to the interrupted run\'s agent: refused with BUDGET_EXCEEDED once its budget is used up', async () => {
    const session = await signUp(t)
    const { agent, execution, interrupts } = await interrupted(session)
    // The interrupted run ended before any budget existed: it was counted for its agent when it ended.
    const set = await t.gql<{ setBudget: { budget: { usedExecutions: number } } }>('mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { usedExecutions } } }',
      { i: { subject: 'AGENT', subjectId: agent, maxExecutions: 1 } }, session.headers)
    expect(set.body.data!.setBudget.budget.usedExecutions).toBe(1)
    const refused = await resume(session, { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }] })
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', scope: 'AGENT', limit: 1, used: 1 })
    expect(await totalRuns(session)).toBe(1)
    expect((await interruptsOf(session, execution.id)).interrupts[0]!.resolvedAt).toBeNull()
  })
  it('a repeated resume answers with its run without counting it again, even once the budget is used up', async () => {
    const session = await signUp(t)
    const { agent, execution, interrupts } = await interrupted(session)
    await t.gql('mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { id } } }', { i: { subject: 'AGENT', subjectId: agent, maxExecutions: 2 } }, session.headers)
    const input = { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }], idempotencyKey: `k-${randomUUID()}` }
    const first = await resume(session, input)
    expect(first.body.errors).toBeUndefined()
    const again = await resume(session, input)
    expect(again.body.errors).toBeUndefined()
    expect(again.body.data!.resumeExecution.execution.id).toBe(first.body.data!.resumeExecution.execution.id)
    const used = await t.gql<{ budgets: { edges: { node: { usedExecutions: number } }[] } }>('{ budgets(first: 5) { edges { node { usedExecutions } } } }', {}, session.headers)
    expect(used.body.data!.budgets.edges.map((e) => e.node.usedExecutions)).toEqual([2])
  })
})

describe('over graphql-ws', () => {
  it('resumes and streams the continuation, which passes verifyEvents', async () => {
    const { execution, interrupts } = await interrupted()
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    try {
      const [r] = await ws.collect<Resumed>(RESUME, { input: { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }] } })
      expect(r!.errors).toBeUndefined()
      const next = r!.data!.resumeExecution.execution
      const events = await ws.collect<{ executionEvents: { type: string; event: LoggedEvent['event'] } }>('subscription($id: ID!) { executionEvents(executionId: $id) { type event } }', { id: next.id })
      const stream = events.map((x) => x.data!.executionEvents.event)
      await verify(stream)
      expect(stream.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
      expect(stream.some((e) => e.type === 'TOOL_CALL_RESULT' && e.toolCallId === interrupts[0]!.toolCallId)).toBe(true)
      const [bad] = await ws.collect(RESUME, { input: { executionId: execution.id, resume: [{ interruptId: interrupts[0]!.id, status: 'RESOLVED' }] } })
      expect(bad!.errors?.[0]?.extensions?.code).toBe('CONFLICT')
    } finally {
      await ws.client.dispose()
    }
  })
})
