import { encodeGlobalId } from '../../global-ids.ts'
import { isObjectType, type GraphQLSchema } from 'graphql'
import type { ActorType } from '../../generated/prisma/enums.ts'
import { listAuditLog } from '../../services/audit-log.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { idOrRaw } from '../ids.ts'

const ActorTypeEnum = builder.enumType('ActorType', { values: ['USER', 'API_KEY', 'SYSTEM', 'ANONYMOUS'] as const })
const AuditOutcomeEnum = builder.enumType('AuditOutcome', {
  values: {
    SUCCESS: { description: 'The change was made.' },
    FAILURE: { description: 'An attempt that failed (e.g. a wrong password).' },
    DENIED: { description: 'A mutation refused for lack of permission.' },
  } as const,
})

interface ActorShape {
  type: ActorType
  id: string | null
  label: string | null
}

const AuditActor = builder.objectRef<ActorShape>('AuditActor').implement({
  description: 'Who did it: a user, an API key, the system, or an anonymous caller.',
  fields: (t) => ({
    type: t.field({ type: ActorTypeEnum, resolve: (a) => a.type }),
    id: t.id({
      nullable: true,
      description: 'The User or ApiKey id (it may have been deleted since).',
      resolve: (a) => (a.id && (a.type === 'USER' || a.type === 'API_KEY') ? encodeGlobalId(a.type === 'USER' ? 'User' : 'ApiKey', a.id) : a.id),
    }),
    label: t.exposeString('label', { nullable: true, description: "The user's email or the key's name at the time." }),
  }),
})

/** Ids of resources that are GraphQL nodes are shown as global ids (the ones clients know); others as stored. */
const isNodeType = (schema: GraphQLSchema, name: string) => {
  const type = schema.getType(name)
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node')
}

export const AuditLogEntryRef = builder.prismaNode('AuditLog', {
  variant: 'AuditLogEntry',
  description: 'One audited action. Entries are append-only and purged after the retention period.',
  id: { field: 'id' },
  authScopes: tenantRowScopes('AUDIT_READ'),
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    action: t.exposeString('action', { description: '`<resource>.<verb>`, e.g. `tool.update`; see docs/audit.md.' }),
    actor: t.field({ type: AuditActor, resolve: (e) => ({ type: e.actorType, id: e.actorId, label: e.actorLabel }) }),
    resourceType: t.exposeString('resourceType', { nullable: true }),
    resourceId: t.string({
      nullable: true,
      resolve: (e, _a, _c, info) => (e.resourceType && e.resourceId && isNodeType(info.schema, e.resourceType) ? encodeGlobalId(e.resourceType, e.resourceId) : e.resourceId),
    }),
    outcome: t.expose('outcome', { type: AuditOutcomeEnum }),
    requestId: t.exposeString('requestId', { nullable: true }),
    ipAddress: t.exposeString('ipAddress', { nullable: true, authScopes: { scope: 'AUDIT_READ' } }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    changes: t.expose('changes', { type: 'JSON', nullable: true, description: '`{ before, after }`: the fields that changed, secrets redacted.' }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
  }),
})

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    action: t.string({ description: 'An action (`tool.update`), or all actions on a resource type (`tool.*`).' }),
    resourceType: t.string({ description: 'e.g. `Tool`, `Agent`, `Thread`, `ApiKey`, `Member`.' }),
    resourceId: t.string({ description: 'The id as shown on entries (a global id, or the stored id for non-node resources).' }),
    actorId: t.string({ description: 'A User or ApiKey id, as shown in `actor.id`.' }),
    from: t.field({ type: 'DateTime', description: 'Entries at or after this instant.' }),
    to: t.field({ type: 'DateTime', description: 'Entries before this instant.' }),
  }),
})

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditLogEntryRef,
      description: "The tenant's audit log, newest first.",
      authScopes: { scope: 'AUDIT_READ' },
      args: { filter: t.arg({ type: AuditLogFilter }) },
      resolve: (_root, { filter, ...args }, ctx) => {
        const ids = { resourceId: filter?.resourceId && idOrRaw(filter.resourceId), actorId: filter?.actorId && idOrRaw(filter.actorId) }
        return pageConnection(ctx, 'auditLog', args, (s, req) => listAuditLog(s, req, { ...filter, ...ids }))
      },
    },
    ...connectionNames('AuditLogEntry'),
  ),
)
