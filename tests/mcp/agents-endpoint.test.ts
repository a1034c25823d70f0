// POST /mcp: the SDK's own client lists the tenant's agents as tools and calls one with an API key; the run is a
// real run (event log, audit); bad or under-scoped keys are refused, and tenants see only their own agents.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw, seedAgent } from '../helpers/agents.ts'
import { eventLog, verify } from '../helpers/runs.ts'
import { createApiKey, signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
let agentName: string

beforeAll(async () => {
  t = await startApp({ WORKERS: '1' }, { listen: true })
  s = await signUp(t)
  const agentId = await seedAgent(t, s, { tools: ['calculator'] })
  agentName = (await t.app.deps.db.forTenant(raw(s.tenantId)).client.agent.findUniqueOrThrow({ where: { id: raw(agentId) } })).name
})

async function connect(authorization?: string) {
  const client = new Client({ name: 'test-client', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${t.port}/mcp`), { requestInit: { headers: authorization ? { authorization } : {} } })
  await client.connect(transport)
  return client
}

const toolName = (agent: string) => agent.toLowerCase().replace(/[^a-z0-9_-]+/g, '_')

describe('POST /mcp', () => {
  it('lists one tool per agent and runs the agent through tools/call', async () => {
    const key = await createApiKey(t, s, ['EXECUTIONS_RUN'])
    const client = await connect(key.headers.authorization)
    try {
      const { tools } = await client.listTools()
      expect(tools).toEqual([expect.objectContaining({ name: toolName(agentName), inputSchema: expect.objectContaining({ required: ['prompt'] }) })])
      const result = await client.callTool({ name: tools[0]!.name, arguments: { prompt: 'use calculator to compute 2 + 3 * 4' } })
      expect(result.isError).toBe(false)
      const content = result.content as { type: string; text: string }[]
      expect(content[0]!.text).toContain('14')
      const ids = result.structuredContent as { executionId: string; threadId: string; status: string }
      expect(ids.status).toBe('SUCCEEDED')
      // A real run: its event log passes the AG-UI verifier, and it is audited as the API key.
      await verify((await eventLog(t, s, ids.executionId)).map((e) => e.event))
      const audit = await t.app.deps.db.forTenant(raw(s.tenantId)).client.auditLog.findFirst({ where: { action: 'execution.create', resourceId: raw(ids.executionId) } })
      expect(audit).toMatchObject({ actorType: 'API_KEY' })
      // threadId continues the conversation; an unknown tool is a protocol error.
      const next = await client.callTool({ name: tools[0]!.name, arguments: { prompt: 'and now?', threadId: ids.threadId } })
      expect((next.structuredContent as { threadId: string }).threadId).toBe(ids.threadId)
      await expect(client.callTool({ name: 'no_such_agent', arguments: { prompt: 'x' } })).rejects.toThrow(/No agent tool/)
      const bad = await client.callTool({ name: tools[0]!.name, arguments: { prompt: '' } })
      expect(bad.isError).toBe(true)
    } finally {
      await client.close()
    }
  })

  it('refuses a bad key, no key and a key without EXECUTIONS_RUN', async () => {
    await expect(connect('Bearer apk_' + 'x'.repeat(43))).rejects.toThrow(/401|Unauthorized|invalid|expired/i)
    await expect(connect()).rejects.toThrow(/401|required/i)
    const readOnly = await createApiKey(t, s, ['AGENTS_READ'])
    await expect(connect(readOnly.headers.authorization)).rejects.toThrow(/403|EXECUTIONS_RUN/)
    const raw401 = await fetch(`http://127.0.0.1:${t.port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' })
    expect(raw401.status).toBe(401)
    expect(raw401.headers.get('www-authenticate')).toBe('Bearer')
  })

  it("shows another tenant's key only that tenant's agents", async () => {
    const other = await signUp(t)
    const key = await createApiKey(t, other, ['EXECUTIONS_RUN'])
    const client = await connect(key.headers.authorization)
    try {
      expect((await client.listTools()).tools).toEqual([])
      await expect(client.callTool({ name: toolName(agentName), arguments: { prompt: 'hi' } })).rejects.toThrow(/No agent tool/)
    } finally {
      await client.close()
    }
  })
})
