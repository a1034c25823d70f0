import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import type { Thread } from '../../generated/prisma/client.ts'
import { createThread, deleteThread, getThread, listThreads, updateThread, type ThreadQuery } from '../../services/threads.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, nodeQuery, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

// A conversation. Its executions and messages are added by the executions module (builder.prismaObjectField).
export const ThreadRef = builder.prismaNode('Thread', {
  id: { field: 'id' },
  description: 'A conversation (the AG-UI threadId) owning executions.',
  authScopes: tenantRowScopes('EXECUTIONS_READ'),
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

builder.queryFields((t) => ({
  threads: t.connection(
    {
      type: ThreadRef,
      description: "The tenant's threads, newest first.",
      authScopes: { scope: 'EXECUTIONS_READ' },
      resolve: (_root, args, ctx, info) => pageConnection(ctx, 'threads', args, (s, req) => listThreads(s, req, nodeQuery(ctx, info) as ThreadQuery)),
    },
    ...connectionNames('Thread'),
  ),
  thread: t.prismaField({
    type: 'Thread',
    nullable: true,
    authScopes: { scope: 'EXECUTIONS_READ' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => getThread(sessionOf(ctx), decodeId(String(id), 'Thread'), query),
  }),
}))

const title = 'At most 200 characters; blank or null for none.'
const CreateThreadInput = builder.inputType('CreateThreadInput', { fields: (t) => ({ title: t.string({ description: title }) }) })
const UpdateThreadInput = builder.inputType('UpdateThreadInput', {
  fields: (t) => ({ id: t.id({ required: true }), title: t.string({ description: title }) }),
})
const DeleteThreadInput = builder.inputType('DeleteThreadInput', { fields: (t) => ({ id: t.id({ required: true }) }) })

const ThreadPayload = (name: string) =>
  builder.objectRef<{ thread: Thread }>(name).implement({ fields: (t) => ({ thread: t.field({ type: ThreadRef, resolve: (p) => p.thread }) }) })
const DeleteThreadPayload = builder.objectRef<{ deletedId: string }>('DeleteThreadPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})

builder.mutationFields((t) => ({
  createThread: t.field({
    type: ThreadPayload('CreateThreadPayload'),
    auditAction: 'thread.create',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: CreateThreadInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ thread: await createThread(sessionOf(ctx), input) }),
  }),
  updateThread: t.field({
    type: ThreadPayload('UpdateThreadPayload'),
    auditAction: 'thread.update',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: UpdateThreadInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ thread: await updateThread(sessionOf(ctx), { id: decodeId(String(input.id), 'Thread'), title: input.title }) }),
  }),
  deleteThread: t.field({
    type: DeleteThreadPayload,
    description: 'Deletes the thread with its executions and their events.',
    auditAction: 'thread.delete',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: DeleteThreadInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ deletedId: encodeGlobalId('Thread', await deleteThread(sessionOf(ctx), { id: decodeId(String(input.id), 'Thread') })) }),
  }),
}))
