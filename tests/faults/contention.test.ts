// Concurrent identical calls of every mutation with a uniqueness rule (or a version check): whatever the
// interleaving, each call answers its result or a typed refusal, never INTERNAL_SERVER_ERROR, and idempotent
// creation always returns the one object.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type GraphQLResponse, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { password, signUp, uniqueEmail, type Session } from '../helpers/tenants.ts'
import { printFigures } from './support.ts'

const N = 16
let t: TestApp
let s: Session
beforeAll(async () => {
  // A small pool makes the race harder: calls also queue for connections.
  t = await startApp({ WORKERS: '2', DB_POOL_SIZE: '4' })
  s = await signUp(t)
})

async function hammer(name: string, call: () => Promise<GraphQLResponse>) {
  const results = await Promise.all(Array.from({ length: N }, call))
  const codes = results.map((r) => (r.body.errors?.length ? r.body.errors.map((e) => e.extensions.code).join(',') : 'ok'))
  const tally = Object.fromEntries([...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]))
  printFigures(`contention: ${N} concurrent ${name}`, { outcomes: tally, statuses: [...new Set(results.map((r) => r.status))] })
  expect(codes).not.toContain('INTERNAL_SERVER_ERROR')
  expect(results.every((r) => r.status < 500 || r.status === 503)).toBe(true)
  return { results, codes }
}

const gql = (query: string, input: Record<string, unknown>, headers?: Record<string, string>) => () => t.gql(query, { input }, headers)

describe(`${N} concurrent identical calls`, () => {
  it('signUp with one e-mail: one account, the rest CONFLICT', async () => {
    const email = uniqueEmail('race')
    const { codes } = await hammer('signUp', gql('mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }', { tenantName: 'Race', email, password }))
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['CONFLICT']))
  })

  it('createTool and createAgent with one name: one object, the rest CONFLICT', async () => {
    const tool = await hammer('createTool', gql('mutation($input: CreateToolInput!) { createTool(input: $input) { tool { id } } }', { name: `tool-${randomUUID().slice(0, 8)}`, description: 'd', kind: 'BUILTIN', handler: 'echo' }, s.headers))
    expect(tool.codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(new Set(tool.codes.filter((c) => c !== 'ok'))).toEqual(new Set(['CONFLICT']))
    const agent = await hammer('createAgent', gql('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', { name: `agent-${randomUUID().slice(0, 8)}`, model: 'mock-1', systemPrompt: 'hi', toolIds: [] }, s.headers))
    expect(agent.codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(new Set(agent.codes.filter((c) => c !== 'ok'))).toEqual(new Set(['CONFLICT']))
  })

  it('runAgent with one runId, and with one idempotencyKey: every call gets the one execution', async () => {
    const agentId = await seedAgent(t, s)
    const query = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }'
    for (const key of ['runId', 'idempotencyKey']) {
      const { results, codes } = await hammer(`runAgent (${key})`, gql(query, { agentId, prompt: 'hello', [key]: `k-${randomUUID()}` }, s.headers))
      expect(codes.every((c) => c === 'ok')).toBe(true)
      expect(new Set(results.map((r) => (r.body.data as { runAgent: { execution: { id: string } } }).runAgent.execution.id)).size).toBe(1)
    }
  })

  it('addMember and inviteMember with one e-mail: one member or invitation, the rest typed refusals', async () => {
    const other = await signUp(t)
    const add = await hammer('addMember', gql('mutation($input: AddMemberInput!) { addMember(input: $input) { member { role } } }', { email: other.email, role: 'VIEWER' }, s.headers))
    expect(add.codes.filter((c) => c === 'ok')).toHaveLength(1)
    const invite = await hammer('inviteMember', gql('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token } }', { email: uniqueEmail('invitee'), role: 'VIEWER' }, s.headers))
    expect(invite.codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(1)
  })

  it('updateAgent with one expectedVersion: one update, the rest CONFLICT', async () => {
    const agentId = await seedAgent(t, s)
    const { codes } = await hammer('updateAgent', gql('mutation($input: UpdateAgentInput!) { updateAgent(input: $input) { agent { version } } }', { id: agentId, description: 'changed', expectedVersion: 1 }, s.headers))
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['CONFLICT']))
  })

  it('refreshToken with one token: one rotation, the rest UNAUTHENTICATED', async () => {
    const { codes } = await hammer('refreshToken', gql('mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken } }', { refreshToken: s.refreshToken }))
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1)
    expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['UNAUTHENTICATED']))
  })
})
