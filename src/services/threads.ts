// Threads: conversations (the AG-UI threadId) that own executions. Deleting a thread deletes its executions and
// their events with it (a conversation is removed as a whole).
import { notFound } from '../errors.ts'
import type { Session } from './session.ts'
import type { Prisma, Thread } from '../generated/prisma/client.ts'
import { diff } from './audit-diff.ts'
import { auditChange } from './audit.ts'
import { page, type PageRequest } from './paging.ts'
import { Problems, text } from './validation.ts'

/** Plugin-prisma's selection for the rows (relations the client asked for, loaded with them). */
export type ThreadQuery = { include?: Prisma.ThreadInclude }

const view = (t: Thread) => ({ title: t.title })

/** A trimmed title, or null for none (blank clears it). */
function titleOf(value: string | null | undefined): string | null {
  if (value == null || !value.trim()) return null
  const p = new Problems()
  const title = text(p, 'title', value, { max: 200, singleLine: true })
  p.check()
  return title
}

/** Threads of the caller's tenant, newest first. */
export const listThreads = (s: Session, req: PageRequest, query: ThreadQuery = {}) =>
  page(req, 'id', (args) => s.db.client.thread.findMany({ ...query, ...args }), () => s.db.client.thread.count())

/** One thread of the caller's tenant; NOT_FOUND otherwise. */
export async function getThread(s: Session, id: string, query: ThreadQuery = {}) {
  const thread = await s.db.client.thread.findUnique({ ...query, where: { id } })
  if (!thread) throw notFound('Thread')
  return thread
}

/** Starts an empty conversation (runs may also create one implicitly). */
export async function createThread(s: Session, input: { title?: string | null }) {
  const title = titleOf(input.title)
  return s.db.tx(async (tx) => {
    const createdById = s.principal.kind === 'USER' ? s.principal.userId : s.principal.createdById
    const thread = await tx.thread.create({ data: { tenantId: s.principal.tenantId, title, createdById } })
    await auditChange(tx, s, { action: 'thread.create', resourceType: 'Thread', resourceId: thread.id, changes: diff(null, view(thread)) as Prisma.InputJsonObject })
    return thread
  })
}

/** Renames a thread (a blank or null title clears it). */
export async function updateThread(s: Session, input: { id: string; title?: string | null }) {
  const title = titleOf(input.title)
  return s.db.tx(async (tx) => {
    const before = await tx.thread.findUnique({ where: { id: input.id } })
    if (!before) throw notFound('Thread')
    const after = await tx.thread.update({ where: { id: before.id }, data: { title } })
    await auditChange(tx, s, { action: 'thread.update', resourceType: 'Thread', resourceId: after.id, changes: diff(view(before), view(after)) as Prisma.InputJsonObject })
    return after
  })
}

/** Deletes a thread with its executions and their events. */
export async function deleteThread(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const thread = await tx.thread.findUnique({ where: { id: input.id } })
    if (!thread) throw notFound('Thread')
    const executions = await tx.execution.count({ where: { threadId: thread.id } })
    await tx.thread.delete({ where: { id: thread.id } })
    await auditChange(tx, s, { action: 'thread.delete', resourceType: 'Thread', resourceId: thread.id, changes: diff(view(thread), null) as Prisma.InputJsonObject, metadata: { executionsDeleted: executions } })
    return thread.id
  })
}
