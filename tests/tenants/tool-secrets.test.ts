// HTTP tool secrets: header values are write-only (sealed at rest, sent only on the wire to the tool), and a secret
// in a tool URL's query string is redacted for every reader: the tool, the agent's tools, a run's agent snapshot.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { run } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { auditRows, createToolRaw, fieldsOf, rawId, unique } from '../catalog/support.ts'
import { json, startToolServer } from '../tools/tool-server.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: 'true', HTTP_TOOLS_ALLOW_INSECURE: 'true' })
})

const toolSelection = 'id name kind url headerNames version'
type ToolView = { id: string; name: string; url: string | null; headerNames: string[]; version: number }
const create = async (s: Session, input: Record<string, unknown>) => {
  const r = await t.gql<{ createTool: { tool: ToolView } }>(`mutation($input: CreateToolInput!) { createTool(input: $input) { tool { ${toolSelection} } } }`, { input }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createTool.tool
}
const update = (s: Session, input: Record<string, unknown>) =>
  t.gql<{ updateTool: { tool: ToolView } }>(`mutation($input: UpdateToolInput!) { updateTool(input: $input) { tool { ${toolSelection} } } }`, { input }, s.headers)
const stored = (s: Session, id: string) => t.app.deps.db.forTenant(rawId(s.tenantId)).client.tool.findUniqueOrThrow({ where: { id: rawId(id) } })

describe('HTTP tool headers and URLs', () => {
  it('keeps header values write-only and query values redacted for every reader', async () => {
    const owner = await signUp(t)
    const secret = `hv-${crypto.randomUUID()}`
    const tool = await create(owner, {
      name: unique('weather'), description: '', kind: 'HTTP', url: 'https://api.example.com/weather?key=SECRET123&units=metric#frag',
      headers: [{ name: 'Authorization', value: `Bearer ${secret}` }, { name: 'X-Team', value: 'blue' }],
    })
    expect(tool.url).toBe('https://api.example.com/weather?key=[REDACTED]&units=[REDACTED]#[REDACTED]')
    expect(tool.headerNames).toEqual(['Authorization', 'X-Team'])
    const read = await t.gql(`{ tools { edges { node { ${toolSelection} } } } }`, undefined, owner.headers)
    expect(JSON.stringify(read.body)).not.toContain('SECRET123')
    expect(JSON.stringify(read.body)).not.toContain(secret)
    // At rest: sealed, and the audit entry records names and that values were set, never the values.
    const row = await stored(owner, tool.id)
    expect(row.headersSealed).toMatch(/^v1\./)
    expect(row.headersSealed).not.toContain(secret)
    const audit = JSON.stringify(await auditRows(t, owner, { action: 'tool.create' }))
    expect(audit).not.toContain(secret)
    expect(audit).not.toContain('SECRET123')
    expect(audit).toContain('Authorization')
  })

  it('treats the redacted URL sent back unchanged as "keep", and keeps headers unless new ones are given', async () => {
    const owner = await signUp(t)
    const tool = await create(owner, { name: unique('kept'), description: '', kind: 'HTTP', url: 'https://api.example.com/v1?token=abc', headers: [{ name: 'X-Key', value: 'k1' }] })
    const r = await update(owner, { id: tool.id, url: tool.url, description: 'now documented' })
    expect(r.body.errors).toBeUndefined()
    expect((await stored(owner, tool.id)).url).toBe('https://api.example.com/v1?token=abc')
    expect((await stored(owner, tool.id)).headerNames).toEqual(['X-Key'])
    const cleared = await update(owner, { id: tool.id, headers: [] })
    expect(cleared.body.data!.updateTool.tool.headerNames).toEqual([])
    expect((await stored(owner, tool.id)).headersSealed).toBeNull()
  })

  it.each([
    [[{ name: 'Host', value: 'evil.example' }], ['headers[0].name']],
    [[{ name: 'Content-Length', value: '1' }], ['headers[0].name']],
    [[{ name: 'Proxy-Foo', value: '1' }], ['headers[0].name']],
    [[{ name: 'Bad Name', value: '1' }], ['headers[0].name']],
    [[{ name: 'X-A', value: 'a\r\nX-Injected: 1' }], ['headers[0].value']],
    [[{ name: 'X-A', value: '' }], ['headers[0].value']],
    [[{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }], ['headers[1].name']],
    [Array.from({ length: 21 }, (_, i) => ({ name: `X-${i}`, value: '1' })), ['headers']],
  ])('refuses headers %j', async (headers, fields) => {
    const owner = await signUp(t)
    const r = await createToolRaw(t, owner, { name: unique('bad'), description: '', kind: 'HTTP', url: 'https://example.com/x', headers })
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    expect(fieldsOf(r)).toEqual(fields)
    expect(JSON.stringify(r.body)).not.toContain('X-Injected: 1')
  })

  it('refuses headers on a built-in tool and drops them when a tool becomes built-in', async () => {
    const owner = await signUp(t)
    const r = await createToolRaw(t, owner, { name: unique('b'), description: '', kind: 'BUILTIN', handler: 'echo', headers: [{ name: 'X-A', value: '1' }] })
    expect(fieldsOf(r)).toEqual(['headers'])
    const tool = await create(owner, { name: unique('h'), description: '', kind: 'HTTP', url: 'https://example.com/x', headers: [{ name: 'X-A', value: '1' }] })
    const switched = await update(owner, { id: tool.id, kind: 'BUILTIN', handler: 'echo' })
    expect(switched.body.errors).toBeUndefined()
    expect((await stored(owner, tool.id)).headersSealed).toBeNull()
  })

  it('sends the headers to the tool, and a run shows neither them nor the query secret', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, { temperature: 21 }))
    const owner = await signUp(t)
    const secret = `hv-${crypto.randomUUID()}`
    const tool = await create(owner, {
      name: 'weather', description: 'Weather now.', kind: 'HTTP', url: `http://127.0.0.1:${server.port}/now?apikey=Q${secret}`,
      headers: [{ name: 'X-Api-Key', value: secret }],
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    })
    const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($t: ID!, $n: String!) { createAgent(input: { name: $n, model: "mock-1", toolIds: [$t] }) { agent { id } } }', { t: tool.id, n: unique('agent') }, owner.headers)
    const e = await run(t, owner, { agentId: agent.body.data!.createAgent.agent.id, prompt: 'Use weather for Paris', wait: true })
    expect(e.status).toBe('SUCCEEDED')
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]!.headers['x-api-key']).toBe(secret)
    expect(server.requests[0]!.url).toBe(`/now?apikey=Q${secret}`)
    const read = await t.gql(`query($id: ID!) { execution(id: $id) { agentSnapshot events(first: 100) { edges { node { event } } } } }`, { id: e.id }, owner.headers)
    expect(read.body.errors).toBeUndefined()
    expect(JSON.stringify(read.body)).not.toContain(secret)
    expect(JSON.stringify(read.body)).toContain('apikey=[REDACTED]')
  })
})
