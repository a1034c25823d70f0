// Tenant membership: invite or add people, change roles, remove them. A tenant always keeps at least one OWNER,
// and only an OWNER can grant, change or remove the OWNER role.
import { AppError, notFound } from '../errors.ts'
import type { Principal } from '../auth/principal.ts'
import type { Session } from './session.ts'
import { afterCommit, systemTx, type Tx } from '../db/scope.ts'
import type { Role } from '../generated/prisma/enums.ts'
import { actorOf, recordAudit } from './audit.ts'
import { page, type PageRequest } from './paging.ts'
import { email as emailOf, Problems } from './validation.ts'

const isOwner = (p: Principal) => p.kind === 'USER' && p.role === 'OWNER'

export function assertMayAssign(p: Principal, role: Role) {
  if (role === 'OWNER' && !isOwner(p)) throw new AppError('FORBIDDEN', 'Only an owner can grant the OWNER role.')
}

/** Locks the tenant's owners for the rest of `tx`, so two concurrent changes cannot both remove "another" owner. */
async function lockedOwnerCount(tx: Tx): Promise<number> {
  const owners = await tx.$queryRaw<{ user_id: string }[]>`SELECT user_id FROM memberships WHERE tenant_id = app_tenant_id() AND role = 'OWNER' FOR UPDATE`
  return owners.length
}

/** Members of the caller's tenant, newest first. */
export const listMembers = (s: Session, req: PageRequest) =>
  page(req, 'userId', (args) => s.db.client.membership.findMany({ ...args, include: { user: true } }), () => s.db.client.membership.count())

/** Adds an existing account to the tenant at once (people without an account are invited instead). */
export async function addMember(s: Session, input: { email: string; role: Role }) {
  const p = new Problems()
  const email = emailOf(p, 'email', input.email)
  p.check()
  assertMayAssign(s.principal, input.role)
  // Finding an account by email crosses tenants: an authentication-path lookup, outside the tenant filter.
  const user = await systemTx(s.deps.db.prisma, { purpose: 'auth' }, (tx) => tx.user.findUnique({ where: { email } }))
  return s.db.tx(async (tx) => {
    if (!user) throw new AppError('NOT_FOUND', 'No account uses this email; invite them with inviteMember.', { fields: [{ path: 'email', message: 'has no account' }] })
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: s.principal.tenantId, userId: user.id } } })
    if (existing) throw new AppError('CONFLICT', 'This person is already a member.', { fields: [{ path: 'email', message: 'is already a member' }] })
    const m = await tx.membership.create({ data: { tenantId: s.principal.tenantId, userId: user.id, role: input.role }, include: { user: true } })
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'member.add', outcome: 'SUCCESS', resourceType: 'Member', resourceId: user.id, changes: { after: { email, role: input.role } } })
    return m
  })
}

/** Changes a member's role. */
export async function updateMemberRole(s: Session, input: { userId: string; role: Role }) {
  return s.db.tx(async (tx) => {
    const owners = await lockedOwnerCount(tx)
    const m = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: s.principal.tenantId, userId: input.userId } } })
    if (!m) throw notFound('Member')
    if (m.role === input.role) return tx.membership.findUniqueOrThrow({ where: { tenantId_userId: { tenantId: m.tenantId, userId: m.userId } }, include: { user: true } })
    if (m.role === 'OWNER' || input.role === 'OWNER') assertMayAssign(s.principal, 'OWNER')
    if (m.role === 'OWNER' && owners <= 1) throw new AppError('CONFLICT', 'A tenant must keep at least one owner.')
    const updated = await tx.membership.update({ where: { tenantId_userId: { tenantId: m.tenantId, userId: m.userId } }, data: { role: input.role }, include: { user: true } })
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: m.tenantId, userId: m.userId }))
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'member.role_change', outcome: 'SUCCESS', resourceType: 'Member', resourceId: m.userId, changes: { before: { role: m.role }, after: { role: input.role } } })
    return updated
  })
}

/** Removes a member; their sessions in this tenant end and the API keys they created are revoked. */
export async function removeMember(s: Session, input: { userId: string }) {
  return s.db.tx(async (tx) => {
    const owners = await lockedOwnerCount(tx)
    const m = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: s.principal.tenantId, userId: input.userId } } })
    if (!m) throw notFound('Member')
    if (m.role === 'OWNER') {
      assertMayAssign(s.principal, 'OWNER')
      if (owners <= 1) throw new AppError('CONFLICT', 'A tenant must keep at least one owner.')
    }
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: m.tenantId, userId: m.userId } } })
    const now = new Date()
    await tx.refreshToken.updateMany({ where: { userId: m.userId, revokedAt: null }, data: { revokedAt: now } })
    const keys = await tx.apiKey.updateMany({ where: { createdById: m.userId, revokedAt: null }, data: { revokedAt: now } })
    // Their sessions and the keys they created.
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: m.tenantId, userId: m.userId }))
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'member.remove', outcome: 'SUCCESS', resourceType: 'Member', resourceId: m.userId, changes: { before: { role: m.role } }, metadata: { apiKeysRevoked: keys.count } })
    return m.userId
  })
}
