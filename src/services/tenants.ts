// Tenants: the caller's own tenant (created by sign-up, src/services/accounts.ts), its name, and its deletion.
// Deleting is a request with a grace period (TENANT_DELETION_GRACE_SECONDS): from the request on, every credential of
// the tenant is refused except an owner's session, which may only read the tenant or cancel; once the period is over
// the purge_tenant() database function removes every row of the tenant in every table (see docs/tenants.md).
import { AppError } from '../errors.ts'
import type { Plan } from '../config.ts'
import type { Database } from '../db/client.ts'
import { afterCommit, systemTx } from '../db/scope.ts'
import type { Prisma, Tenant } from '../generated/prisma/client.ts'
import { actorOf, recordAudit } from './audit.ts'
import { diff } from './audit-diff.ts'
import type { AppDeps, Session } from './session.ts'
import { Problems, text } from './validation.ts'

/** Plugin-prisma's selection for the row (relations the client asked for, loaded with it). */
export type TenantQuery = { include?: Prisma.TenantInclude }

/** The caller's tenant (the tenant-scoped client finds no other). */
export const getTenant = (s: Session, query: TenantQuery = {}) => s.db.client.tenant.findFirstOrThrow({ ...query })

/**
 * The caller's tenant for `viewer`: the snapshot read with the credential, without a statement, when the selection
 * reads only its columns (`snapshotCovers`) and the principal cache still holds the principal (every change to those
 * columns drops it on every process); otherwise the row.
 */
export function getViewerTenant(s: Session, query: TenantQuery, snapshotCovers: boolean): Tenant | Promise<Tenant> {
  // A partial row, safe because only the snapshot's columns are read from it.
  if (snapshotCovers && !query.include && s.deps.principals.isCurrent(s.principal)) return s.principal.tenant as Tenant
  return getTenant(s, query)
}

/** Renames the caller's tenant and switches PII redaction on or off; absent fields keep their value. */
export async function updateTenant(s: Session, input: { name?: string | null; redactPii?: boolean | null }) {
  const p = new Problems()
  const name = input.name == null ? undefined : text(p, 'name', input.name, { max: 100, singleLine: true })
  p.check()
  const redactPii = input.redactPii ?? undefined
  return s.db.tx(async (tx) => {
    const before = await tx.tenant.findFirstOrThrow()
    const after = name === undefined && redactPii === undefined ? before : await tx.tenant.update({ where: { id: before.id }, data: { name, redactPii } })
    await recordAudit(tx, before.id, actorOf(s.principal), s.meta, {
      action: 'tenant.update', outcome: 'SUCCESS', resourceType: 'Tenant', resourceId: before.id,
      changes: diff({ name: before.name, redactPii: before.redactPii }, { name: after.name, redactPii: after.redactPii }) as Prisma.InputJsonObject,
    })
    // Cached principals carry the tenant's name and redaction setting (viewer.tenant): every process re-reads them.
    if (after !== before) afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: before.id }))
    return after
  })
}

/**
 * Schedules the deletion of the caller's tenant (OWNER only, checked by the schema) after the grace period; with a
 * period of 0 the tenant is purged before this returns. `confirmName` must repeat the tenant's name exactly.
 */
export async function deleteTenant(s: Session, input: { confirmName: string }) {
  const tenant = await s.db.tx(async (tx) => {
    const before = await tx.tenant.findFirstOrThrow()
    if (input.confirmName !== before.name) {
      throw new AppError('VALIDATION_FAILED', 'confirmName must repeat the tenant\'s name exactly.', { fields: [{ path: 'confirmName', message: 'does not match the tenant\'s name' }] })
    }
    if (before.deletionScheduledAt) throw new AppError('CONFLICT', 'The tenant is already scheduled for deletion.')
    const now = new Date(s.deps.clock())
    const at = new Date(now.getTime() + s.deps.config.tenants.deletionGraceSeconds * 1000)
    const after = await tx.tenant.update({ where: { id: before.id }, data: { deletionRequestedAt: now, deletionScheduledAt: at } })
    await recordAudit(tx, before.id, actorOf(s.principal), s.meta, {
      action: 'tenant.delete', outcome: 'SUCCESS', resourceType: 'Tenant', resourceId: before.id, metadata: { deletionScheduledAt: at.toISOString() },
    })
    // Cached principals still say "not being deleted": every process drops the tenant's at once.
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: before.id }))
    return after
  })
  if (s.deps.config.tenants.deletionGraceSeconds === 0) await purgeTenant(s.deps, tenant.id)
  return tenant
}

/** Undoes a scheduled deletion (OWNER only): credentials work again, nothing was lost. */
export async function cancelTenantDeletion(s: Session) {
  return s.db.tx(async (tx) => {
    const before = await tx.tenant.findFirstOrThrow()
    if (!before.deletionScheduledAt) throw new AppError('CONFLICT', 'The tenant is not scheduled for deletion.')
    const after = await tx.tenant.update({ where: { id: before.id }, data: { deletionRequestedAt: null, deletionScheduledAt: null } })
    await recordAudit(tx, before.id, actorOf(s.principal), s.meta, {
      action: 'tenant.cancel_deletion', outcome: 'SUCCESS', resourceType: 'Tenant', resourceId: before.id, metadata: { deletionScheduledAt: before.deletionScheduledAt.toISOString() },
    })
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: before.id }))
    return after
  })
}

/** What purging needs; with `principals`, the purged tenant's cached credentials are dropped on every process. */
type PurgeDeps = Pick<AppDeps, 'db' | 'logger'> & Partial<Pick<AppDeps, 'principals'>>

/** Deletes every row of a tenant whose grace period is over; returns the rows deleted per table (null: not due). */
export async function purgeTenant(deps: PurgeDeps, tenantId: string): Promise<Record<string, number> | null> {
  const [row] = await systemTx(deps.db.prisma, { tenantId }, (tx) => tx.$queryRaw<{ counts: Record<string, number> | null }[]>`SELECT purge_tenant(${tenantId}::uuid) AS counts`)
  if (row?.counts) deps.logger.info({ tenantId, deleted: row.counts }, 'purged a deleted tenant')
  if (row?.counts) await deps.principals?.revoke({ tenantId })
  return row?.counts ?? null
}

/** Purges every tenant whose grace period is over (the worker runs this periodically); returns how many. */
export async function purgeDueTenants(deps: PurgeDeps): Promise<number> {
  const due = await systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) =>
    tx.tenant.findMany({ where: { deletionScheduledAt: { lte: new Date() } }, select: { id: true }, take: 100 }))
  let purged = 0
  for (const { id } of due) if (await purgeTenant(deps, id)) purged++
  return purged
}

/** Operator action (npm run tenant -- plan): changes a tenant's plan, audited as done by the system. */
export async function changePlan(deps: { db: Database }, tenantId: string, plan: Plan, operator: string) {
  return systemTx(deps.db.prisma, { tenantId }, async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId } })
    if (!before) throw new AppError('NOT_FOUND', 'No tenant has this id.')
    const after = await tx.tenant.update({ where: { id: tenantId }, data: { plan } })
    await recordAudit(tx, tenantId, { type: 'SYSTEM', label: operator }, undefined, {
      action: 'tenant.plan_change', outcome: 'SUCCESS', resourceType: 'Tenant', resourceId: tenantId, changes: diff({ plan: before.plan }, { plan: after.plan }) as Prisma.InputJsonObject,
    })
    return after
  })
}
