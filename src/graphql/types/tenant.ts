import { sessionOf } from '../../context.ts'
import type { Tenant } from '../../generated/prisma/client.ts'
import { cancelTenantDeletion, deleteTenant, getTenant, updateTenant } from '../../services/tenants.ts'
import { builder } from '../builder.ts'
import { PlanTierEnum } from './enums.ts'

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  authScopes: (tenant) => ({ tenant: tenant.id }),
  fields: (t) => ({
    name: t.exposeString('name'),
    plan: t.expose('plan', { type: PlanTierEnum }),
    redactPii: t.exposeBoolean('redactPii', { description: 'Whether e-mail addresses, phone numbers, card numbers, IBANs and secret-looking tokens are replaced by [REDACTED:<KIND>] before anything is stored or sent to a model (docs/tenants.md#pii-redaction).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deletionRequestedAt: t.expose('deletionRequestedAt', { type: 'DateTime', nullable: true, description: 'When deleteTenant was called; null unless a deletion is scheduled.' }),
    deletionScheduledAt: t.expose('deletionScheduledAt', { type: 'DateTime', nullable: true, description: 'When every row of the tenant is purged, unless an owner calls cancelTenantDeletion first.' }),
  }),
})

builder.queryField('tenant', (t) =>
  t.prismaField({
    type: 'Tenant',
    description: "The caller's tenant (readable by an owner while a deletion is scheduled).",
    authScopes: { $any: { authenticated: true, owner: true } },
    resolve: (query, _root, _args, ctx) => getTenant(sessionOf(ctx), query),
  }),
)

const UpdateTenantInput = builder.inputType('UpdateTenantInput', {
  fields: (t) => ({
    name: t.string({ description: 'At most 100 characters on one line.' }),
    redactPii: t.boolean({ description: 'Redact personal data and secrets from what is stored or sent to a model from now on (not retroactive).' }),
  }),
})
const DeleteTenantInput = builder.inputType('DeleteTenantInput', {
  fields: (t) => ({ confirmName: t.string({ required: true, description: "The tenant's name, exactly: a guard against deleting the wrong tenant." }) }),
})
const TenantPayload = (name: string) =>
  builder.objectRef<{ tenant: Tenant }>(name).implement({ fields: (t) => ({ tenant: t.field({ type: TenantRef, resolve: (p) => p.tenant }) }) })
const DeleteTenantPayload = builder.objectRef<{ tenant: Tenant }>('DeleteTenantPayload').implement({
  fields: (t) => ({
    deletionScheduledAt: t.field({ type: 'DateTime', description: 'When every row of the tenant is purged.', resolve: (p) => p.tenant.deletionScheduledAt! }),
  }),
})

builder.mutationFields((t) => ({
  updateTenant: t.field({
    type: TenantPayload('UpdateTenantPayload'),
    auditAction: 'tenant.update',
    authScopes: { scope: 'TENANT_ADMIN' },
    args: { input: t.arg({ type: UpdateTenantInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ tenant: await updateTenant(sessionOf(ctx), input) }),
  }),
  deleteTenant: t.field({
    type: DeleteTenantPayload,
    description: 'Schedules the deletion of the tenant and all its data after TENANT_DELETION_GRACE_SECONDS (OWNER only). From now on every credential of the tenant is refused except an owner\'s session for `tenant` and `cancelTenantDeletion`.',
    auditAction: 'tenant.delete',
    authScopes: { $all: { owner: true, authenticated: true } },
    args: { input: t.arg({ type: DeleteTenantInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ tenant: await deleteTenant(sessionOf(ctx), input) }),
  }),
  cancelTenantDeletion: t.field({
    type: TenantPayload('CancelTenantDeletionPayload'),
    description: 'Cancels a scheduled deletion (OWNER only); everything works again.',
    auditAction: 'tenant.cancel_deletion',
    authScopes: { owner: true },
    resolve: async (_r, _a, ctx) => ({ tenant: await cancelTenantDeletion(sessionOf(ctx)) }),
  }),
}))
