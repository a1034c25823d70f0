// Interrupts live in PostgreSQL only: a run interrupted under one set of processes is answered and continued after
// every process stopped and a new one started on the same database.
import { describe, expect, it } from 'vitest'
import { startApp } from '../helpers/app.ts'
import { eventLog, run, verify } from '../helpers/runs.ts'
import { isolatedDatabaseEnv, services, tempDir } from '../helpers/env.ts'
import { login, signUp } from '../helpers/tenants.ts'

describe('interrupts across a restart', () => {
  it('are answered after every process restarted, and the continuation runs the held-back call', async () => {
    const database = services.databaseTarget === 'postgres' ? await isolatedDatabaseEnv() : { DATA_DIR: tempDir('hitl-restart') }
    const first = await startApp({ ...database, WORKERS: '2' })
    const s = await signUp(first)
    const tool = await first.gql<{ createTool: { tool: { id: string } } }>('mutation { createTool(input: { name: "deploy", description: "Deploys.", kind: BUILTIN, handler: "echo", requiresApproval: true }) { tool { id } } }', {}, s.headers)
    const agent = await first.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
      input: { name: 'hitl', model: 'mock-1', systemPrompt: 'You are careful.', toolIds: [tool.body.data!.createTool.tool.id], timeoutSeconds: 30 },
    }, s.headers)
    const interrupted = await run(first, s, { agentId: agent.body.data!.createAgent.agent.id, prompt: 'please deploy v2 [[mock:call=deploy]]', wait: true })
    expect(interrupted.status).toBe('INTERRUPTED')
    await first.stop()

    const second = await startApp({ ...database, WORKERS: '1' })
    const again = await login(second, s.email)
    const q = await second.gql<{ execution: { status: string; interrupts: { id: string; toolCallId: string }[] } }>('query($id: ID!) { execution(id: $id) { status interrupts { id toolCallId } } }', { id: interrupted.id }, again.headers)
    expect(q.body.data!.execution.status).toBe('INTERRUPTED')
    const [interrupt] = q.body.data!.execution.interrupts
    const r = await second.gql<{ resumeExecution: { execution: { id: string; status: string } } }>(
      'mutation($input: ResumeExecutionInput!) { resumeExecution(input: $input) { execution { id status } } }',
      { input: { executionId: interrupted.id, resume: [{ interruptId: interrupt!.id, status: 'RESOLVED' }], wait: true } }, again.headers)
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    expect(r.body.data!.resumeExecution.execution.status).toBe('SUCCEEDED')
    const log = await eventLog(second, again, r.body.data!.resumeExecution.execution.id)
    await verify(log.map((e) => e.event))
    expect(log.find((e) => e.type === 'TOOL_CALL_RESULT')!.event).toMatchObject({ toolCallId: interrupt!.toolCallId, content: expect.stringContaining('please deploy v2') })
  }, 60_000) // two app boots, one after the other
})
