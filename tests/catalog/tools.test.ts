// Tools through GraphQL: validation, uniqueness (also under concurrency), optimistic concurrency, deletion rules.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, signUp } from '../helpers/tenants.ts'
import { createAgent, createTool, createToolRaw, fieldsOf, toolFields, unique, type ToolData } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})

const updateTool = (s: { headers: Record<string, string> }, input: Record<string, unknown>) =>
  t.gql<{ updateTool: { tool: ToolData } }>(`mutation($input: UpdateToolInput!) { updateTool(input: $input) { tool { ${toolFields} } } }`, { input }, s.headers)
const deleteTool = (s: { headers: Record<string, string> }, input: Record<string, unknown>) =>
  t.gql<{ deleteTool: { deletedId: string } }>('mutation($input: DeleteToolInput!) { deleteTool(input: $input) { deletedId } }', { input }, s.headers)
const getTool = (s: { headers: Record<string, string> }, id: string) =>
  t.gql<{ tool: (ToolData & { agents: { id: string; name: string }[] }) | null }>(`query($id: ID!) { tool(id: $id) { ${toolFields} agents { id name } } }`, { id }, s.headers)

describe('creating tools', () => {
  it('creates a built-in tool, trimmed, at version 1, with the handler schema by default', async () => {
    const owner = await signUp(t)
    const name = unique('Echo')
    const tool = await createTool(t, owner, { name: `  ${name}  `, description: '  Says it back.  ' })
    expect(tool).toMatchObject({ name, description: 'Says it back.', kind: 'BUILTIN', handler: 'echo', url: null, version: 1 })
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['text'] })
    const read = await getTool(owner, tool.id)
    expect(read.body.data!.tool).toMatchObject({ id: tool.id, name, agents: [] })
  })

  it('creates an HTTP tool with its own input schema', async () => {
    const owner = await signUp(t)
    const inputSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
    const tool = await createTool(t, owner, { kind: 'HTTP', handler: null, url: 'https://weather.example.com/v1/now', inputSchema })
    expect(tool).toMatchObject({ kind: 'HTTP', handler: null, url: 'https://weather.example.com/v1/now', inputSchema })
  })

  it('reports every invalid field at once', async () => {
    const owner = await signUp(t)
    const r = await createToolRaw(t, owner, { name: '#bad name', description: 'x'.repeat(2_001), kind: 'BUILTIN', handler: 'rm -rf', url: 'https://example.com', inputSchema: { type: 'string' } })
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    expect(fieldsOf(r)).toEqual(['description', 'handler', 'inputSchema.type', 'name', 'url'])
    const long = await createToolRaw(t, owner, { name: 'n'.repeat(101), description: '', kind: 'BUILTIN', handler: 'echo' })
    expect(fieldsOf(long)).toEqual(['name'])
    const blank = await createToolRaw(t, owner, { name: '   ', description: '', kind: 'BUILTIN' })
    expect(fieldsOf(blank)).toEqual(['handler', 'name'])
  })

  it.each([
    [{ url: null }, ['url']],
    [{ handler: 'echo' }, ['handler']],
    [{ url: 'http://example.com/hook' }, ['url']],
    [{ url: 'https://127.0.0.1/hook' }, ['url']],
    [{ url: 'https://localhost/hook' }, ['url']],
    [{ url: 'https://user:pw@example.com/hook' }, ['url']],
    [{ inputSchema: [1, 2] }, ['inputSchema']],
  ])('refuses an HTTP tool with %j', async (bad, fields) => {
    const owner = await signUp(t)
    const r = await createToolRaw(t, owner, { name: unique('http'), description: '', kind: 'HTTP', url: 'https://example.com/hook', ...bad })
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    expect(fieldsOf(r)).toEqual(fields)
  })

  it('refuses a duplicate name in the tenant with CONFLICT on name, but not in another tenant', async () => {
    const owner = await signUp(t)
    const name = unique('dup')
    await createTool(t, owner, { name })
    const again = await createToolRaw(t, owner, { name, description: '', kind: 'BUILTIN', handler: 'echo' })
    expect(codeOf(again)).toBe('CONFLICT')
    expect(fieldsOf(again)).toEqual(['name'])
    await createTool(t, await signUp(t), { name })
  })

  it('lets exactly one of ten concurrent creates with one name win', async () => {
    const owner = await signUp(t)
    const name = unique('race')
    const results = await Promise.all(Array.from({ length: 10 }, () => createToolRaw(t, owner, { name, description: '', kind: 'BUILTIN', handler: 'echo' })))
    expect(results.filter((r) => !r.body.errors).length).toBe(1)
    expect(results.filter((r) => codeOf(r) === 'CONFLICT').length).toBe(9)
    const list = await t.gql<{ tools: { totalCount: number } }>('query($s: String!) { tools(filter: { search: $s }) { totalCount } }', { s: name }, owner.headers)
    expect(list.body.data!.tools.totalCount).toBe(1)
  })

  it('needs TOOLS_WRITE', async () => {
    const owner = await signUp(t)
    const viewer = await addMember(t, owner, 'VIEWER')
    const r = await createToolRaw(t, viewer, { name: unique('nope'), description: '', kind: 'BUILTIN', handler: 'echo' })
    expect(codeOf(r)).toBe('FORBIDDEN')
    expect(r.status).toBe(403)
  })
})

describe('reading tools', () => {
  it('answers NOT_FOUND for a missing, malformed or wrongly typed id', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    for (const id of [encodeGlobalID('Tool', '0190a0a0-0000-7000-8000-000000000000'), 'not-an-id', encodeGlobalID('Agent', Buffer.from(tool.id, 'base64').toString().split(':')[1]!)]) {
      const r = await getTool(owner, id)
      expect(codeOf(r), id).toBe('NOT_FOUND')
      expect(r.body.data?.tool ?? null).toBeNull()
    }
    const node = await t.gql<{ node: { name: string } }>('query($id: ID!) { node(id: $id) { ... on Tool { name } } }', { id: tool.id }, owner.headers)
    expect(node.body.data!.node.name).toBe(tool.name)
  })
})

describe('updating tools', () => {
  it('changes only what is given and increments the version', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const r = await updateTool(owner, { id: tool.id, description: 'New words', expectedVersion: 1 })
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data!.updateTool.tool).toMatchObject({ name: tool.name, description: 'New words', handler: 'echo', version: 2 })
    const unchecked = await updateTool(owner, { id: tool.id, name: unique('renamed') })
    expect(unchecked.body.data!.updateTool.tool.version).toBe(3)
  })

  it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    await updateTool(owner, { id: tool.id, description: 'first', expectedVersion: 1 })
    const stale = await updateTool(owner, { id: tool.id, description: 'second', expectedVersion: 1 })
    expect(codeOf(stale)).toBe('CONFLICT')
    expect(stale.body.errors![0]!.extensions.currentVersion).toBe(2)
    expect((await getTool(owner, tool.id)).body.data!.tool).toMatchObject({ description: 'first', version: 2 })
  })

  it('lets exactly one of several concurrent updates from the same version win', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => updateTool(owner, { id: tool.id, description: `writer ${i}`, expectedVersion: 1 })))
    const winners = results.filter((r) => !r.body.errors)
    expect(winners.length).toBe(1)
    expect(results.filter((r) => codeOf(r) === 'CONFLICT').length).toBe(5)
    const final = (await getTool(owner, tool.id)).body.data!.tool!
    expect(final.version).toBe(2)
    expect(final.description).toBe(winners[0]!.body.data!.updateTool.tool.description)
  })

  it('without expectedVersion, concurrent updates still never interleave (each is one version)', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => updateTool(owner, { id: tool.id, description: `w${i}` })))
    const won = results.filter((r) => !r.body.errors).map((r) => r.body.data!.updateTool.tool.version)
    for (const r of results) if (r.body.errors) expect(codeOf(r)).toBe('CONFLICT')
    expect(new Set(won).size).toBe(won.length)
    expect((await getTool(owner, tool.id)).body.data!.tool!.version).toBe(1 + won.length)
  })

  it('switches kind, dropping the previous kind’s field, and validates the result', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const bad = await updateTool(owner, { id: tool.id, kind: 'HTTP' })
    expect(fieldsOf(bad)).toEqual(['url'])
    const both = await updateTool(owner, { id: tool.id, kind: 'HTTP', url: 'https://example.com/x', handler: 'echo' })
    expect(fieldsOf(both)).toEqual(['handler'])
    const ok = await updateTool(owner, { id: tool.id, kind: 'HTTP', url: 'https://example.com/x' })
    expect(ok.body.data!.updateTool.tool).toMatchObject({ kind: 'HTTP', handler: null, url: 'https://example.com/x', version: 2 })
  })

  it('moves a default schema along with the handler, but keeps a schema of the tenant’s own', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const moved = await updateTool(owner, { id: tool.id, handler: 'calculator' })
    expect(moved.body.data!.updateTool.tool.inputSchema).toMatchObject({ required: ['expression'] })
    const own = { type: 'object', properties: { text: { type: 'string', maxLength: 10 } } }
    const custom = await createTool(t, owner, { inputSchema: own })
    const kept = await updateTool(owner, { id: custom.id, handler: 'current_time' })
    expect(kept.body.data!.updateTool.tool.inputSchema).toEqual(own)
  })

  it('refuses a name another tool has, and NOT_FOUND for an unknown tool', async () => {
    const owner = await signUp(t)
    const a = await createTool(t, owner)
    const b = await createTool(t, owner)
    const r = await updateTool(owner, { id: b.id, name: a.name })
    expect(codeOf(r)).toBe('CONFLICT')
    expect(fieldsOf(r)).toEqual(['name'])
    expect(codeOf(await updateTool(owner, { id: encodeGlobalID('Tool', '0190a0a0-0000-7000-8000-000000000000'), description: 'x' }))).toBe('NOT_FOUND')
  })
})

describe('deleting tools', () => {
  it('refuses to delete a tool in use with TOOL_IN_USE naming the agents, and detaches it with force', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const other = await createTool(t, owner)
    const agent = await createAgent(t, owner, { toolIds: [tool.id, other.id] })
    const refused = await deleteTool(owner, { id: tool.id })
    expect(codeOf(refused)).toBe('TOOL_IN_USE')
    expect(refused.body.errors![0]!.extensions.agents).toEqual([{ id: agent.id, name: agent.name }])
    expect((await getTool(owner, tool.id)).body.data!.tool!.agents).toEqual([{ id: agent.id, name: agent.name }])

    const forced = await deleteTool(owner, { id: tool.id, force: true })
    expect(forced.body.errors).toBeUndefined()
    expect(forced.body.data!.deleteTool.deletedId).toBe(tool.id)
    expect(codeOf(await getTool(owner, tool.id))).toBe('NOT_FOUND')
    const after = await t.gql<{ agent: { version: number; tools: { id: string }[] } }>('query($id: ID!) { agent(id: $id) { version tools { id } } }', { id: agent.id }, owner.headers)
    expect(after.body.data!.agent).toEqual({ version: 2, tools: [{ id: other.id }] })
  })

  it('deletes an unused tool, then answers NOT_FOUND', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    expect((await deleteTool(owner, { id: tool.id })).body.data!.deleteTool.deletedId).toBe(tool.id)
    expect(codeOf(await deleteTool(owner, { id: tool.id }))).toBe('NOT_FOUND')
  })

  it('never detaches silently: a tool attached concurrently makes the delete fail or the attach fail', async () => {
    const owner = await signUp(t)
    for (let round = 0; round < 5; round++) {
      const tool = await createTool(t, owner)
      const [del, created] = await Promise.all([
        deleteTool(owner, { id: tool.id }),
        t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', { input: { name: unique('racer'), model: 'mock-1', toolIds: [tool.id] } }, owner.headers),
      ])
      if (!del.body.errors) expect(codeOf(created), 'agent created with a deleted tool').toBe('NOT_FOUND')
      else expect(codeOf(del)).toBe('TOOL_IN_USE')
      if (!created.body.errors) {
        const agent = await t.gql<{ agent: { tools: { id: string }[] } }>('query($id: ID!) { agent(id: $id) { tools { id } } }', { id: created.body.data!.createAgent.agent.id }, owner.headers)
        expect(agent.body.data!.agent.tools).toEqual([{ id: tool.id }])
      }
    }
  })
})
