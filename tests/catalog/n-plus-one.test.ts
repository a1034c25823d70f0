// Nested lists load with their parent query (plugin-prisma selections + relationJoins): the number of SQL statements
// for a page does not depend on how many rows it has.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { createAgent, createTool } from './support.ts'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No in-process worker: its polling would be counted too. The nested lists below cost far more than the default
  // QUERY_MAX_COST allows; the statement count is what is measured here. The tenant's plan (request limits) is
  // cached longer than the test runs: a reload falling between warm-up and measurement would be counted too; so is
  // the caller's principal (on a loaded machine the default 10 s ran out between the two; 300 s is the most allowed).
  t = await startApp({ WORKERS: '0', QUERY_MAX_COST: '1000000', PLAN_CACHE_SECONDS: '3600', PRINCIPAL_CACHE_SECONDS: '300' }, { database: { onQuery: (sql) => statements?.push(sql) } })
})

/** A tenant with `agents` agents, each using two of its four tools. */
async function tenantWith(agents: number): Promise<Session> {
  const owner = await signUp(t)
  const tools = await Promise.all(Array.from({ length: 4 }, () => createTool(t, owner)))
  for (let i = 0; i < agents; i++) await createAgent(t, owner, { toolIds: [tools[i % 4]!.id, tools[(i + 1) % 4]!.id] })
  return owner
}

/**
 * Runs `query` and returns the statements it sent, after checking it returned `rows` nodes with nested data. Once
 * unmeasured first: the credential is then authenticated from the principal cache, as on every request but a few.
 */
async function statementsFor(s: Session, query: string, list: 'agents' | 'tools', rows: number) {
  await t.gql(query, undefined, s.headers)
  statements = []
  const r = await t.gql<Record<string, { edges: { node: Record<string, unknown[]> }[] }>>(query, undefined, s.headers)
  const sent = statements
  statements = undefined
  expect(r.body.errors).toBeUndefined()
  const edges = r.body.data![list]!.edges
  expect(edges).toHaveLength(rows)
  for (const e of edges) expect(Object.values(e.node)[0]!.length).toBeGreaterThan(0)
  return sent
}

const agentsQuery = '{ agents(first: 50) { totalCount edges { node { tools { name agents { name tools { name } } } } } } }'
const toolsQuery = '{ tools(first: 50) { totalCount edges { node { agents { name tools { name agents { name } } } } } } }'

describe('no N+1 queries', () => {
  it('agents → tools → agents costs the same statements for 5 and 40 agents', async () => {
    const small = await tenantWith(5)
    const large = await tenantWith(40)
    const a = await statementsFor(small, agentsQuery, 'agents', 5)
    const b = await statementsFor(large, agentsQuery, 'agents', 40)
    expect(a.length).toBeGreaterThan(0)
    expect(b.length).toBe(a.length)
    // And the count is small: one transaction for the whole operation (BEGIN, its settings, COMMIT), the page with
    // every nested list, and the total.
    expect(a.length).toBeLessThanOrEqual(5)
    expect(a.filter((sql) => /count\(/i.test(sql))).toHaveLength(1)
  })

  it('sends no COUNT when totalCount is not selected: four statements in all', async () => {
    const owner = await tenantWith(3)
    const sent = await statementsFor(owner, agentsQuery.replace('totalCount ', ''), 'agents', 3)
    expect(sent.filter((sql) => /count\(/i.test(sql))).toEqual([])
    expect(sent.length).toBeLessThanOrEqual(4)
  })

  it('tools → agents → tools costs the same statements whatever the number of tools and agents', async () => {
    const owner1 = await signUp(t)
    const few = await createTool(t, owner1)
    await createAgent(t, owner1, { toolIds: [few.id] })
    const owner2 = await tenantWith(40)
    const extra = await Promise.all(Array.from({ length: 10 }, () => createTool(t, owner2)))
    await createAgent(t, owner2, { toolIds: extra.map((x) => x.id) })
    const a = await statementsFor(owner1, toolsQuery, 'tools', 1)
    const b = await statementsFor(owner2, toolsQuery, 'tools', 14)
    expect(b.length).toBe(a.length)
  })

  it('reads only the selected columns: no system_prompt or input_schema unless asked for', async () => {
    const owner = await tenantWith(3)
    const large = /system_prompt|input_schema|headers_sealed/
    const lean = await statementsFor(owner, '{ agents(first: 50) { edges { node { name tools { name agents { name } } } } } }', 'agents', 3)
    expect(lean.filter((sql) => large.test(sql))).toEqual([])
    const full = await statementsFor(owner, '{ agents(first: 50) { edges { node { tools { inputSchema } systemPrompt } } } }', 'agents', 3)
    expect(full.join('\n')).toMatch(/system_prompt/)
    expect(full.join('\n')).toMatch(/input_schema/)
    expect(full.length).toBe(lean.length)
  })
})
