import type { PlanQuota } from '../../config.ts'
import { sessionOf } from '../../context.ts'
import { getUsage, type TenantUsageView } from '../../services/quota.ts'
import { builder } from '../builder.ts'
import { TenantRef } from './tenant.ts'

const UsageLimits = builder.objectRef<PlanQuota>('UsageLimits').implement({
  description: "The tenant's monthly quotas (its plan's); null means unlimited.",
  fields: (t) => ({
    executionsPerMonth: t.int({ nullable: true, resolve: (q) => q.executionsPerMonth }),
    tokensPerMonth: t.float({ nullable: true, description: 'A whole number (Float: it may exceed 2^31).', resolve: (q) => q.tokensPerMonth }),
  }),
})

const TenantUsage = builder.objectRef<TenantUsageView>('TenantUsage').implement({
  description: "This calendar month's (UTC) usage, counted against the plan's quotas; runs are refused with QUOTA_EXCEEDED once one is used up.",
  fields: (t) => ({
    executions: t.exposeInt('executions'),
    tokens: t.exposeFloat('tokens', { description: 'A whole number (Float: it may exceed 2^31).' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'First instant of the month being counted.' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', description: 'When usage starts again from zero.' }),
    limits: t.field({ type: UsageLimits, resolve: (u) => u.limits }),
  }),
})

builder.objectField(TenantRef, 'usage', (t) =>
  t.field({
    type: TenantUsage,
    authScopes: { authenticated: true },
    resolve: (tenant, _args, ctx) => getUsage(sessionOf(ctx), tenant.id),
  }),
)
