import { sessionOf } from '../../context.ts'
import { getTenant } from '../../services/tenants.ts'
import { builder } from '../builder.ts'
import { PlanTierEnum } from './enums.ts'

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  authScopes: (tenant) => ({ tenant: tenant.id }),
  fields: (t) => ({
    name: t.exposeString('name'),
    plan: t.expose('plan', { type: PlanTierEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

builder.queryField('tenant', (t) =>
  t.prismaField({
    type: 'Tenant',
    description: "The caller's tenant.",
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, ctx) => getTenant(sessionOf(ctx), query),
  }),
)
