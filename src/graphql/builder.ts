// Builder configuration only: plugins, scalars, context, auth scopes. Types live in ./types/<domain>.ts.
import SchemaBuilder from '@pothos/core'
import ComplexityPlugin from '@pothos/plugin-complexity'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import type PrismaTypes from '../generated/pothos-prisma-types.ts'
import { getDatamodel } from '../generated/pothos-prisma-types.ts'
import type { Scope } from '../generated/prisma/enums.ts'
import type { Context } from '../context.ts'
import { isProductionProcess } from '../config.ts'
import { AppError, notFound } from '../errors.ts'
import { decodeGlobalId, encodeGlobalId } from '../global-ids.ts'
import AuditActionPlugin from './audit-actions.ts'
import { isForeignTenant } from './auth-failures.ts'
import { auditDenial } from './denials.ts'
import { connectionComplexity } from './complexity.ts'

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    JSON: { Input: unknown; Output: unknown }
  }
  Connection: { totalCount: number | (() => Promise<number>) }
  AuthScopes: {
    /** Anyone, signed in or not (documents intent on root fields). */
    public: boolean
    authenticated: boolean
    /** A user (not an API key). */
    user: boolean
    /** The caller holds this scope. */
    scope: Scope
    /** An OWNER's session, even while the tenant is scheduled for deletion. */
    owner: boolean
    /** The object belongs to the caller's tenant (type-level second line behind the scoped data path). */
    tenant: string
    /** The object is the calling user. */
    self: string
  }
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin, AuditActionPlugin],
  // Field costs for QUERY_MAX_COST (checked per request with its variables: src/limits/shape.ts). No `limit` here:
  // the check runs before execution, not in root resolvers.
  complexity: { fieldComplexity: connectionComplexity },
  defaultFieldNullability: false,
  scopeAuth: {
    // Scopes read ctx.principal lazily: sign-up/login set it mid-request for the fields of their payload.
    // A tenant scheduled for deletion refuses every scope except `deletingOwner` (read the tenant, cancel).
    authScopes: (ctx) => ({
      public: true,
      authenticated: () => !!ctx.principal && !deleting(ctx),
      user: () => ctx.principal?.kind === 'USER' && !deleting(ctx),
      scope: (s) => !!ctx.principal?.scopes.has(s) && !deleting(ctx),
      tenant: (tenantId) => !!ctx.principal && ctx.principal.tenantId === tenantId,
      self: (userId) => ctx.principal?.kind === 'USER' && ctx.principal.userId === userId && !deleting(ctx),
      owner: () => ctx.principal?.kind === 'USER' && ctx.principal.role === 'OWNER',
    }),
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, ctx, info, result) => {
      // Another tenant's object must look exactly like a missing one.
      if (isForeignTenant(result.failure)) return notFound()
      auditDenial(ctx, info, result.failure) // refused mutations are audited (DENIED)
      if (deleting(ctx)) {
        const at = ctx.principal!.tenant.deletionScheduledAt!.toISOString()
        return new AppError('FORBIDDEN', `This tenant is scheduled for deletion at ${at}; an owner can cancel it with cancelTenantDeletion.`, { deletionScheduledAt: at })
      }
      return ctx.principal
        ? new AppError('FORBIDDEN', 'You are not allowed to do this.')
        : new AppError('UNAUTHENTICATED', 'Authentication required.')
    },
  },
  prisma: {
    client: (ctx) => (ctx.principal ? ctx.deps.db.forTenant(ctx.principal.tenantId).client : emptyClient(ctx)),
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // A resolver that ignores plugin-prisma's selection silently reintroduces N+1 queries: fail loudly outside production.
    onUnusedQuery: isProductionProcess ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    cursorType: 'String',
    nodeQueryOptions: {
      authScopes: { authenticated: true },
      nullable: true,
      // A malformed, foreign or missing id are the same thing to the caller: NOT_FOUND.
      resolve: async (_root, { id }, _ctx, _info, resolveNode) => {
        const node: unknown = await Promise.resolve(resolveNode(id)).catch(() => null)
        if (!node) throw notFound()
        return node as never
      },
    },
    nodesQueryOptions: false,
  },
})

const deleting = (ctx: Context) => !!ctx.principal?.tenant.deletionScheduledAt

/** Anonymous requests never touch tenant data: a client whose every query finds nothing. */
function emptyClient(ctx: Context) {
  return ctx.deps.db.forTenant('00000000-0000-0000-0000-000000000000').client
}

builder.queryType({})
builder.mutationType({})
builder.subscriptionType({})
