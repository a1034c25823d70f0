import { encodeGlobalId } from '../../global-ids.ts'
import { tenantSnapshotFields, type Principal } from '../../auth/principal.ts'
import { sessionOf } from '../../context.ts'
import { getViewerTenant } from '../../services/tenants.ts'
import { getCurrentUser } from '../../services/users.ts'
import { builder } from '../builder.ts'
import { selectsOnly } from '../selection.ts'
import { PrincipalKindEnum, RoleEnum, ScopeEnum } from './enums.ts'

const PrincipalInfo = builder.objectRef<Principal>('Principal').implement({
  description: 'The credential behind the request: a user (access token) or an API key.',
  fields: (t) => ({
    kind: t.field({ type: PrincipalKindEnum, resolve: (p) => p.kind }),
    id: t.id({ description: 'The User or ApiKey id.', resolve: (p) => (p.kind === 'USER' ? encodeGlobalId('User', p.userId) : encodeGlobalId('ApiKey', p.apiKeyId)) }),
    name: t.string({ resolve: (p) => (p.kind === 'USER' ? p.email : p.name) }),
  }),
})

// The Tenant type exposes these columns under their own names.
const snapshotFields: ReadonlySet<string> = new Set(tenantSnapshotFields)

const Viewer = builder.objectRef<Principal>('Viewer').implement({
  fields: (t) => ({
    principal: t.field({ type: PrincipalInfo, resolve: (p) => p }),
    user: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Null for API keys.',
      resolve: (query, _p, _a, ctx) => getCurrentUser(sessionOf(ctx), query),
    }),
    tenant: t.prismaField({
      type: 'Tenant',
      resolve: (query, _p, _a, ctx, info) => getViewerTenant(sessionOf(ctx), query, selectsOnly(info, snapshotFields)),
    }),
    role: t.field({ type: RoleEnum, nullable: true, description: 'Null for API keys.', resolve: (p) => (p.kind === 'USER' ? p.role : null) }),
    scopes: t.field({ type: [ScopeEnum], resolve: (p) => [...p.scopes].sort() }),
  }),
})

builder.queryField('viewer', (t) =>
  t.field({ type: Viewer, authScopes: { authenticated: true }, resolve: (_r, _a, ctx) => ctx.principal! }),
)
