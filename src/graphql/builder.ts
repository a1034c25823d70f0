// Builder configuration only: plugins, scalars, context. Types live in ./types/<domain>.ts.
import SchemaBuilder from '@pothos/core'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import type PrismaTypes from '../generated/pothos-prisma-types.ts'
import { getDatamodel } from '../generated/pothos-prisma-types.ts'
import type { Context } from '../context.ts'
import { isProductionProcess } from '../config.ts'

export const builder = new SchemaBuilder<{
  Context: Context
  PrismaTypes: PrismaTypes
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    JSON: { Input: unknown; Output: unknown }
  }
  AuthScopes: { public: boolean }
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: async () => ({ public: true }),
    authorizeOnSubscribe: true,
  },
  prisma: {
    client: (ctx) => ctx.deps.db.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // A resolver that ignores plugin-prisma's selection silently reintroduces N+1 queries: fail loudly outside production.
    onUnusedQuery: isProductionProcess ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
})

builder.queryType({})
builder.subscriptionType({})
