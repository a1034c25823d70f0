// A tenant with one of everything the API can create, and the ids of it all by GraphQL type: the victim of the
// cross-tenant suite. Extend it whenever a new type of tenant-owned object appears.
import { randomUUID } from 'node:crypto'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { expect } from 'vitest'
import type { TestApp } from './app.ts'
import { addMember, createApiKey, signUp, uniqueEmail, type Session } from './tenants.ts'
import { raw, seedAgent } from './agents.ts'
import { run } from './runs.ts'

export interface Seeded {
  owner: Session
  /** Global ids by GraphQL type name. */
  ids: Record<string, string[]>
  /** Strings that only this tenant's data contains (names, emails, secrets): must never appear elsewhere. */
  marks: string[]
}

export async function seedTenant(t: TestApp): Promise<Seeded> {
  const mark = `victim-${randomUUID().slice(0, 8)}`
  const owner = await signUp(t, { tenantName: `${mark} tenant` })
  const member = await addMember(t, owner, 'DEVELOPER')
  const key = await createApiKey(t, owner, ['TOOLS_READ'], { name: `${mark} key` })
  const invite = await t.gql<{ inviteMember: { invitation: { id: string } } }>(
    'mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { invitation { id } } }', { e: uniqueEmail(mark) }, owner.headers)
  expect(invite.body.errors).toBeUndefined()
  const members = await t.gql<{ members: { edges: { node: { id: string } }[] } }>('{ members { edges { node { id } } } }', undefined, owner.headers)
  const agentId = await seedAgent(t, owner, { tools: ['echo'] })
  const execution = await run(t, owner, { agentId, prompt: `${mark} please echo this`, wait: true })
  const row = await t.app.deps.db.forTenant(raw(owner.tenantId)).client.execution.findUniqueOrThrow({ where: { id: raw(execution.id) }, include: { agent: { include: { agentTools: true } } } })
  return {
    owner,
    ids: {
      Tenant: [owner.tenantId],
      User: [owner.userId, member.userId],
      Member: members.body.data!.members.edges.map((e) => e.node.id),
      ApiKey: [key.id],
      Invitation: [invite.body.data!.inviteMember.invitation.id],
      Agent: [agentId],
      Tool: row.agent!.agentTools.map((x) => encodeGlobalID('Tool', x.toolId)),
      Thread: [encodeGlobalID('Thread', row.threadId)],
      Execution: [execution.id],
    },
    marks: [mark, owner.email, member.email, key.secret, key.prefix],
  }
}
