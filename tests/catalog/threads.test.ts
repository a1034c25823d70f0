// Threads through GraphQL, and what deleting threads and agents does to executions (history is kept for agents).
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { createAgent, createThread, rawId } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})

const getThread = (s: Session, id: string) => t.gql<{ thread: { id: string; title: string | null } | null }>('query($id: ID!) { thread(id: $id) { id title createdAt updatedAt } }', { id }, s.headers)

/** An execution row written directly (the executions service is not part of this module). */
async function insertExecution(s: Session, threadId: string, agentId: string | null) {
  return t.app.deps.db.forTenant(rawId(s.tenantId)).client.execution.create({
    data: { tenantId: rawId(s.tenantId), threadId: rawId(threadId), agentId: agentId && rawId(agentId), requestHash: 'h', model: 'mock-1', input: {}, agentSnapshot: { name: 'snap' } },
  })
}
const executions = (s: Session) => t.app.deps.db.forTenant(rawId(s.tenantId)).client.execution.findMany()

describe('threads', () => {
  it('creates, renames, clears, lists newest first and deletes', async () => {
    const owner = await signUp(t)
    const first = await createThread(t, owner, '  Planning  ')
    const second = await createThread(t, owner)
    expect((await getThread(owner, first)).body.data!.thread).toMatchObject({ id: first, title: 'Planning' })
    expect((await getThread(owner, second)).body.data!.thread!.title).toBeNull()
    const renamed = await t.gql<{ updateThread: { thread: { title: string | null } } }>('mutation($id: ID!) { updateThread(input: { id: $id, title: "Launch" }) { thread { title } } }', { id: second }, owner.headers)
    expect(renamed.body.data!.updateThread.thread.title).toBe('Launch')
    const cleared = await t.gql<{ updateThread: { thread: { title: string | null } } }>('mutation($id: ID!) { updateThread(input: { id: $id, title: "  " }) { thread { title } } }', { id: second }, owner.headers)
    expect(cleared.body.data!.updateThread.thread.title).toBeNull()
    const list = await t.gql<{ threads: { totalCount: number; edges: { node: { id: string } }[] } }>('{ threads { totalCount edges { node { id } } } }', undefined, owner.headers)
    // Newest first: ids are UUID v7, time-ordered (to the millisecond; within one, by id).
    const newestFirst = [second, first].sort((a, b) => rawId(b).localeCompare(rawId(a)))
    expect(list.body.data!.threads).toEqual({ totalCount: 2, edges: newestFirst.map((id) => ({ node: { id } })) })
    const del = await t.gql<{ deleteThread: { deletedId: string } }>('mutation($id: ID!) { deleteThread(input: { id: $id }) { deletedId } }', { id: first }, owner.headers)
    expect(del.body.data!.deleteThread.deletedId).toBe(first)
    expect(codeOf(await getThread(owner, first))).toBe('NOT_FOUND')
  })

  it('validates the title and needs EXECUTIONS_RUN to write, EXECUTIONS_READ to read', async () => {
    const owner = await signUp(t)
    const r = await t.gql('mutation($title: String!) { createThread(input: { title: $title }) { thread { id } } }', { title: 'x'.repeat(201) }, owner.headers)
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'title' }] })
    const viewer = await addMember(t, owner, 'VIEWER')
    expect(codeOf(await t.gql('mutation { createThread(input: {}) { thread { id } } }', undefined, viewer.headers))).toBe('FORBIDDEN')
    const id = await createThread(t, owner, 'readable')
    expect((await getThread(viewer, id)).body.data!.thread!.title).toBe('readable')
  })

  it('deleting a thread deletes its executions; deleting an agent keeps them with no agent', async () => {
    const owner = await signUp(t)
    const agent = await createAgent(t, owner)
    const kept = await createThread(t, owner)
    const removed = await createThread(t, owner)
    const survivor = await insertExecution(owner, kept, agent.id)
    await insertExecution(owner, removed, agent.id)
    await t.gql('mutation($id: ID!) { deleteThread(input: { id: $id }) { deletedId } }', { id: removed }, owner.headers)
    expect((await executions(owner)).map((e) => e.id)).toEqual([survivor.id])
    const del = await t.gql('mutation($id: ID!) { deleteAgent(input: { id: $id }) { deletedId } }', { id: agent.id }, owner.headers)
    expect(del.body.errors).toBeUndefined()
    const [after] = await executions(owner)
    expect(after).toMatchObject({ id: survivor.id, agentId: null, agentSnapshot: { name: 'snap' }, tenantId: rawId(owner.tenantId) })
  })
})
