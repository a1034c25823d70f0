// requiresApproval on an MCP server: calls of its tools (Tool records of kind MCP) interrupt the run before they
// reach the server, and the approved call reaches it in the continuation (a real SDK server on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { eventLog, run, verify } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { startTestMcpServer, type TestMcpServer } from './mcp-test-server.ts'

let t: TestApp
let s: Session
let mcp: TestMcpServer
beforeAll(async () => {
  t = await startApp({ WORKERS: '1', MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true', HTTP_TOOL_TIMEOUT_MS: '5000' })
  s = await signUp(t)
  mcp = await startTestMcpServer()
})
afterAll(() => mcp.close())

describe('an MCP server with requiresApproval', () => {
  it('holds its tool calls for approval; the approved call reaches the server in the continuation', async () => {
    const created = await t.gql<{ createMcpServer: { mcpServer: { requiresApproval: boolean; tools: { id: string; name: string; kind: string; requiresApproval: boolean }[] } } }>(
      'mutation($input: CreateMcpServerInput!) { createMcpServer(input: $input) { mcpServer { requiresApproval tools { id name kind requiresApproval } } } }',
      { input: { name: 'guarded', url: mcp.url, allowedTools: ['reverse'], requiresApproval: true } }, s.headers)
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined()
    const tool = created.body.data!.createMcpServer.mcpServer.tools[0]!
    expect(tool).toMatchObject({ name: 'guarded__reverse', kind: 'MCP', requiresApproval: true })
    const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
      input: { name: 'mcp hitl', model: 'mock-1', systemPrompt: 'You are careful.', toolIds: [tool.id], timeoutSeconds: 30 },
    }, s.headers)

    // Tool calls only: the worker's MCP refresher may open (and drop) a watch of this stateless server meanwhile.
    const calls = () => mcp.toolCalls.length
    const atStart = calls()
    const execution = await run(t, s, { agentId: agent.body.data!.createAgent.agent.id, prompt: 'please guarded__reverse stressed', wait: true })
    expect(execution.status).toBe('INTERRUPTED')
    const before = calls()
    expect(before).toBe(atStart) // held back: the server saw nothing of the call
    const q = await t.gql<{ execution: { interrupts: { id: string; toolName: string; toolCallId: string }[] } }>('query($id: ID!) { execution(id: $id) { interrupts { id toolName toolCallId } } }', { id: execution.id }, s.headers)
    const [interrupt] = q.body.data!.execution.interrupts
    expect(interrupt).toMatchObject({ toolName: 'guarded__reverse' })
    await verify((await eventLog(t, s, execution.id)).map((e) => e.event))

    const r = await t.gql<{ resumeExecution: { execution: { id: string; status: string } } }>(
      'mutation($input: ResumeExecutionInput!) { resumeExecution(input: $input) { execution { id status } } }',
      { input: { executionId: execution.id, resume: [{ interruptId: interrupt!.id, status: 'RESOLVED' }], wait: true } }, s.headers)
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    expect(r.body.data!.resumeExecution.execution.status).toBe('SUCCEEDED')
    expect(calls()).toBeGreaterThan(before) // the call reached the server only after the approval
    const log = await eventLog(t, s, r.body.data!.resumeExecution.execution.id)
    await verify(log.map((e) => e.event))
    const result = log.find((e) => e.type === 'TOOL_CALL_RESULT')!.event as unknown as { toolCallId: string; content: string }
    expect(result).toMatchObject({ toolCallId: interrupt!.toolCallId, content: expect.stringContaining('desserts') })
  })
})
