// Agents through GraphQL: validation, model allowlist, tools of the tenant only, ordering, concurrency, deletion.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, signUp } from '../helpers/tenants.ts'
import { agentFields, createAgent, createAgentRaw, createTool, fieldsOf, unique, type AgentData } from './support.ts'

let t: TestApp
beforeAll(async () => {
  // A small prompt cap, to test that the limit comes from configuration.
  t = await startApp({ SYSTEM_PROMPT_MAX_LENGTH: '500', MODEL_ALLOWLIST: 'mock-1,gpt-unserved' })
})

const updateAgent = (s: { headers: Record<string, string> }, input: Record<string, unknown>) =>
  t.gql<{ updateAgent: { agent: AgentData } }>(`mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { agent { ${agentFields} } } }`, { input }, s.headers)
const getAgent = (s: { headers: Record<string, string> }, id: string) =>
  t.gql<{ agent: AgentData | null }>(`query($id: ID!) { agent(id: $id) { ${agentFields} } }`, { id }, s.headers)
const agentCount = async (s: { headers: Record<string, string> }) =>
  (await t.gql<{ agents: { totalCount: number } }>('{ agents { totalCount } }', undefined, s.headers)).body.data!.agents.totalCount
const missingTool = encodeGlobalID('Tool', '0190a0a0-0000-7000-8000-000000000000')

describe('creating agents', () => {
  it('stores the configuration with defaults and the tools in the given order', async () => {
    const owner = await signUp(t)
    const [a, b, c] = [await createTool(t, owner), await createTool(t, owner), await createTool(t, owner)]
    const agent = await createAgent(t, owner, {
      name: '  Researcher  ', role: 'research', description: 'Finds things.', systemPrompt: 'Be precise.', temperature: 0.2, maxTokens: 512,
      toolIds: [c.id, a.id, b.id],
    })
    expect(agent).toMatchObject({
      name: 'Researcher', role: 'research', description: 'Finds things.', systemPrompt: 'Be precise.', model: 'mock-1', temperature: 0.2, maxTokens: 512,
      timeoutSeconds: 300, maxConcurrentExecutions: 5, maxToolCalls: 10, version: 1,
    })
    expect(agent.tools.map((x) => x.id)).toEqual([c.id, a.id, b.id])
    const tool = await t.gql<{ tool: { agents: { id: string }[] } }>('query($id: ID!) { tool(id: $id) { agents { id } } }', { id: a.id }, owner.headers)
    expect(tool.body.data!.tool.agents).toEqual([{ id: agent.id }])
  })

  it('reports every invalid field at once, with the prompt limit from configuration', async () => {
    const owner = await signUp(t)
    const r = await createAgentRaw(t, owner, {
      name: '', role: 'r'.repeat(201), description: 'd'.repeat(2_001), systemPrompt: 'p'.repeat(501), model: 'mock-1',
      temperature: 2.5, maxTokens: 0, timeoutSeconds: 0, maxConcurrentExecutions: 101, maxToolCalls: -1,
    })
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    expect(fieldsOf(r)).toEqual(['description', 'maxConcurrentExecutions', 'maxTokens', 'maxToolCalls', 'name', 'role', 'systemPrompt', 'temperature', 'timeoutSeconds'])
    expect(await agentCount(owner)).toBe(0)
    const ok = await createAgent(t, owner, { systemPrompt: 'p'.repeat(500), temperature: 2, maxToolCalls: 0 })
    expect(ok.systemPrompt).toHaveLength(500)
  })

  it('refuses a model outside the allowlist (or without a provider) with INVALID_MODEL', async () => {
    const owner = await signUp(t)
    for (const model of ['gpt-4o', 'gpt-unserved']) {
      const r = await createAgentRaw(t, owner, { name: unique('a'), model })
      expect(codeOf(r), model).toBe('INVALID_MODEL')
      expect(r.body.errors![0]!.extensions).toMatchObject({ fields: [{ path: 'model' }], allowedModels: ['mock-1'] })
    }
    expect(await agentCount(owner)).toBe(0)
  })

  it("fails the whole call with one NOT_FOUND when any tool id is missing, foreign or malformed, saying not which", async () => {
    const owner = await signUp(t)
    const mine = await createTool(t, owner)
    const foreign = await createTool(t, await signUp(t))
    const outcomes = new Set<string>()
    for (const bad of [missingTool, foreign.id, 'garbage', encodeGlobalID('Agent', '0190a0a0-0000-7000-8000-000000000000')]) {
      const r = await createAgentRaw(t, owner, { name: unique('a'), model: 'mock-1', toolIds: [mine.id, bad] })
      expect(codeOf(r), bad).toBe('NOT_FOUND')
      outcomes.add(JSON.stringify(r.body.errors![0]!.message) + JSON.stringify({ ...r.body.errors![0]!.extensions, requestId: undefined }))
      expect(JSON.stringify(r.body)).not.toContain(foreign.name)
    }
    expect(outcomes.size).toBe(1)
    expect(await agentCount(owner)).toBe(0)
  })

  it('refuses a tool named twice, a duplicate name, and needs AGENTS_WRITE', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    expect(fieldsOf(await createAgentRaw(t, owner, { name: unique('a'), model: 'mock-1', toolIds: [tool.id, tool.id] }))).toEqual(['toolIds'])
    const agent = await createAgent(t, owner)
    const dup = await createAgentRaw(t, owner, { name: agent.name, model: 'mock-1' })
    expect(codeOf(dup)).toBe('CONFLICT')
    expect(fieldsOf(dup)).toEqual(['name'])
    const viewer = await addMember(t, owner, 'VIEWER')
    expect(codeOf(await createAgentRaw(t, viewer, { name: unique('a'), model: 'mock-1' }))).toBe('FORBIDDEN')
  })

  it('lets exactly one of ten concurrent creates with one name win', async () => {
    const owner = await signUp(t)
    const name = unique('race')
    const results = await Promise.all(Array.from({ length: 10 }, () => createAgentRaw(t, owner, { name, model: 'mock-1' })))
    expect(results.filter((r) => !r.body.errors).length).toBe(1)
    expect(results.filter((r) => codeOf(r) === 'CONFLICT').length).toBe(9)
    expect(await agentCount(owner)).toBe(1)
  })
})

describe('updating agents', () => {
  it('replaces and reorders tools, clears optional settings with null, and keeps what is absent', async () => {
    const owner = await signUp(t)
    const [a, b, c] = [await createTool(t, owner), await createTool(t, owner), await createTool(t, owner)]
    const agent = await createAgent(t, owner, { toolIds: [a.id, b.id], temperature: 1, systemPrompt: 'keep me' })
    const r = await updateAgent(owner, { id: agent.id, expectedVersion: 1, toolIds: [c.id, a.id], temperature: null, maxToolCalls: 3 })
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data!.updateAgent.agent).toMatchObject({ version: 2, temperature: null, maxToolCalls: 3, systemPrompt: 'keep me', tools: [{ id: c.id }, { id: a.id }] })
    const same = await updateAgent(owner, { id: agent.id, description: 'only this' })
    expect(same.body.data!.updateAgent.agent).toMatchObject({ version: 3, tools: [{ id: c.id }, { id: a.id }], description: 'only this' })
    const cleared = await updateAgent(owner, { id: agent.id, toolIds: [] })
    expect(cleared.body.data!.updateAgent.agent.tools).toEqual([])
  })

  it('checks tools, model and fields on update, changing nothing on failure', async () => {
    const owner = await signUp(t)
    const agent = await createAgent(t, owner)
    const foreign = await createTool(t, await signUp(t))
    expect(codeOf(await updateAgent(owner, { id: agent.id, toolIds: [foreign.id] }))).toBe('NOT_FOUND')
    expect(codeOf(await updateAgent(owner, { id: agent.id, model: 'gpt-4o' }))).toBe('INVALID_MODEL')
    expect(fieldsOf(await updateAgent(owner, { id: agent.id, temperature: -1, name: 'x'.repeat(101) }))).toEqual(['name', 'temperature'])
    expect((await getAgent(owner, agent.id)).body.data!.agent).toMatchObject({ version: 1, model: 'mock-1', tools: [] })
  })

  it('refuses a stale expectedVersion, and lets one of several concurrent updates win', async () => {
    const owner = await signUp(t)
    const tools = [await createTool(t, owner), await createTool(t, owner)]
    const agent = await createAgent(t, owner)
    expect(codeOf(await updateAgent(owner, { id: agent.id, expectedVersion: 7, role: 'x' }))).toBe('CONFLICT')
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => updateAgent(owner, { id: agent.id, expectedVersion: 1, role: `r${i}`, toolIds: [tools[i % 2]!.id] })))
    const winners = results.filter((r) => !r.body.errors)
    expect(winners.length).toBe(1)
    expect(results.filter((r) => codeOf(r) === 'CONFLICT').length).toBe(5)
    const final = (await getAgent(owner, agent.id)).body.data!.agent!
    const won = winners[0]!.body.data!.updateAgent.agent
    expect(final).toMatchObject({ version: 2, role: won.role, tools: won.tools })
  })
})

describe('deleting agents', () => {
  it('deletes the agent, detaching its tools, and answers NOT_FOUND after', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    const agent = await createAgent(t, owner, { toolIds: [tool.id] })
    const r = await t.gql<{ deleteAgent: { deletedId: string } }>('mutation($id: ID!) { deleteAgent(input: { id: $id }) { deletedId } }', { id: agent.id }, owner.headers)
    expect(r.body.data!.deleteAgent.deletedId).toBe(agent.id)
    expect(codeOf(await getAgent(owner, agent.id))).toBe('NOT_FOUND')
    const tl = await t.gql<{ tool: { agents: unknown[] } }>('query($id: ID!) { tool(id: $id) { agents { id } } }', { id: tool.id }, owner.headers)
    expect(tl.body.data!.tool.agents).toEqual([])
    const again = await t.gql('mutation($id: ID!) { deleteAgent(input: { id: $id }) { deletedId } }', { id: agent.id }, owner.headers)
    expect(codeOf(again)).toBe('NOT_FOUND')
  })
})
