// graphql-jit must not change a single answer: the same operations, by the same callers, against two apps that differ
// only in GRAPHQL_JIT, give the same HTTP status and the same body (request ids aside), successes, partial results,
// refusals, coercion errors, abstract types and introspection alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { createApiKey, signUp, type Session } from '../helpers/tenants.ts'

let on: TestApp
let off: TestApp
let owner: Session
let readOnly: { headers: Record<string, string> }
let agentId: string
let foreign: string

beforeAll(async () => {
  ;[on, off] = await Promise.all([startApp({ GRAPHQL_JIT: 'true' }), startApp({ GRAPHQL_JIT: 'false' })])
  owner = await signUp(on)
  agentId = await seedAgent(on, owner, { tools: ['echo', 'calculator'] })
  await seedAgent(on, owner, { tools: ['echo'] })
  readOnly = await createApiKey(on, owner, ['AGENTS_READ'])
  const other = await signUp(on)
  foreign = await seedAgent(on, other)
})
afterAll(async () => Promise.all([on?.stop(), off?.stop()]))

const withoutRequestIds = (body: unknown) => JSON.parse(JSON.stringify(body), (k, v) => (k === 'requestId' ? undefined : v))

async function both(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = owner.headers) {
  const [a, b] = await Promise.all([on.gql(query, variables, headers), off.gql(query, variables, headers)])
  expect({ status: a.status, body: withoutRequestIds(a.body) }).toEqual({ status: b.status, body: withoutRequestIds(b.body) })
  expect(JSON.stringify(withoutRequestIds(a.body))).toBe(JSON.stringify(withoutRequestIds(b.body))) // key order too
  return a
}

describe('graphql-jit answers exactly as graphql-js', () => {
  it('reads: S1, nested connections, custom scalars, cursors, totalCount', async () => {
    const s1 = await both('{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { cursor node { id name kind inputSchema createdAt } } pageInfo { hasNextPage endCursor } } }')
    expect(s1.body.errors).toBeUndefined()
    const s2 = await both('query($n: Int) { agents(first: $n) { totalCount edges { node { id name tools { id name agents { id name } } } } } }', { n: 50 })
    expect((s2.body.data as { agents: { totalCount: number } }).agents.totalCount).toBe(2)
  })

  it('abstract types and __typename: node(id:) of each kind, a foreign id, a missing one', async () => {
    const query = 'query($id: ID!) { node(id: $id) { __typename id ... on Agent { name tools { __typename name } } } }'
    expect((await both(query, { id: agentId })).body.data).toMatchObject({ node: { __typename: 'Agent' } })
    expect((await both(query, { id: foreign })).body.data).toEqual({ node: null })
    await both(query, { id: 'not-an-id' })
  })

  it('partial data: a refused field is null with its typed error, path and locations; the rest is answered', async () => {
    const r = await both('{ agents(first: 1) { totalCount } tools(first: 1) { totalCount } }', undefined, readOnly.headers)
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, path: ['tools'], locations: [{ line: 1, column: 35 }] })
    const nested = await both('query($id: ID!) { node(id: $id) { ... on Agent { name tools { name } } } }', { id: agentId }, readOnly.headers)
    expect(nested.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN')
  })

  it('variables: wrong types, missing required, unknown enum values stay typed request errors', async () => {
    await both('query($n: Int) { agents(first: $n) { totalCount } }', { n: 'many' })
    await both('query($id: ID!) { node(id: $id) { id } }', {})
    await both('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { name: 'k', scopes: ['NOPE'] } })
    await both('query($n: Int = 1) { agents(first: $n) { totalCount } }')
  })

  it('mutations: a refusal (FORBIDDEN, data null) and a domain error (NOT_FOUND) read the same', async () => {
    const run = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }'
    const refused = await both(run, { input: { agentId, prompt: 'hi' } }, readOnly.headers)
    expect(refused.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN')
    const missing = await both(run, { input: { agentId: foreign, prompt: 'hi' } })
    expect(missing.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND')
  })

  it('introspection and several operations in one document', async () => {
    await both('{ __type(name: "Tool") { name fields { name type { name kind } } } }')
    await both('{ __schema { queryType { name } } }')
    const doc = 'query A { agents(first: 1) { totalCount } } query B { tools(first: 1) { totalCount } }'
    const [a, b] = await Promise.all([on.gql(doc, undefined, owner.headers), off.gql(doc, undefined, owner.headers)])
    expect(withoutRequestIds(a.body)).toEqual(withoutRequestIds(b.body))
    // Each operation of the document by name: compiled one by one, cached apart (the name is part of the key).
    const named = (app: TestApp, operationName: string) => app.fetch('/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', ...owner.headers }, body: JSON.stringify({ query: doc, operationName }),
    }).then(async (r) => withoutRequestIds(await r.json()))
    const answers: unknown[] = []
    for (const name of ['A', 'B', 'A']) {
      const [x, y] = await Promise.all([named(on, name), named(off, name)])
      expect(x).toEqual(y)
      answers.push(x)
    }
    expect(answers[0]).toEqual({ data: { agents: { totalCount: 2 } } })
    expect(answers[1]).toEqual({ data: { tools: { totalCount: expect.any(Number) } } })
    expect(answers[2]).toEqual(answers[0])
  })
})
