// Invitations: a member with MEMBERS_MANAGE invites an email address; whoever holds the one-time token joins with
// the invited role, with their existing account (proving it by password) or a new one.
import { AppError, notFound } from '../errors.ts'
import { hashPassword, passwordProblems, verifyPassword } from '../auth/passwords.ts'
import { hashSecret, isSecret, newSecret } from '../auth/secrets.ts'
import type { AppDeps, RequestMeta, Session } from './session.ts'
import { systemTx } from '../db/scope.ts'
import type { Role } from '../generated/prisma/enums.ts'
import { actorOf, recordAudit } from './audit.ts'
import { assertMayAssign } from './members.ts'
import { page, type PageRequest } from './paging.ts'
import { issueSession, type AuthResult } from './sessions.ts'
import { throttleIp } from './throttle.ts'
import { email as emailOf, Problems, text } from './validation.ts'

const invalid = () => new AppError('UNAUTHENTICATED', 'Invalid or expired invitation.')

/** Invites an email address with a role; returns the invitation and its one-time token (shown once). */
export async function inviteMember(s: Session, input: { email: string; role: Role }) {
  const p = new Problems()
  const email = emailOf(p, 'email', input.email)
  p.check()
  assertMayAssign(s.principal, input.role)
  const token = newSecret('inv')
  const invitation = await s.db.tx(async (tx) => {
    const inv = await tx.invitation.create({
      data: {
        tenantId: s.principal.tenantId, email, role: input.role, tokenHash: hashSecret(token),
        invitedById: s.principal.kind === 'USER' ? s.principal.userId : null,
        expiresAt: new Date(Date.now() + s.deps.config.auth.invitationTtl * 1000),
      },
    })
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'member.invite', outcome: 'SUCCESS', resourceType: 'Invitation', resourceId: inv.id, changes: { after: { email, role: input.role } } })
    return inv
  })
  return { invitation, token }
}

/** Pending invitations of the caller's tenant, newest first. */
export const listInvitations = (s: Session, req: PageRequest) => {
  const where = { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } }
  return page(req, 'id', (args) => s.db.client.invitation.findMany({ ...args, where: { AND: [args.where, where] } }), () => s.db.client.invitation.count({ where }))
}

/** Withdraws a pending invitation. */
export async function revokeInvitation(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { id: input.id } })
    if (!inv) throw notFound('Invitation')
    if (inv.revokedAt || inv.acceptedAt) return inv
    const revoked = await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: new Date() } })
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'member.invite_revoke', outcome: 'SUCCESS', resourceType: 'Invitation', resourceId: inv.id })
    return revoked
  })
}

/** Joins the inviting tenant; creates the account when the email has none. Returns a session there. */
export async function acceptInvitation(deps: AppDeps, meta: RequestMeta, input: { token: string; password: string; displayName?: string | null }): Promise<AuthResult> {
  await throttleIp(deps, meta)
  if (!isSecret(String(input.token ?? ''), 'inv')) throw invalid()
  const inv = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) => tx.invitation.findUnique({ where: { tokenHash: hashSecret(input.token) } }))
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= new Date()) throw invalid()
  const existing = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) => tx.user.findUnique({ where: { email: inv.email } }))
  const p = new Problems()
  const displayName = input.displayName == null ? null : text(p, 'displayName', input.displayName, { max: 100, singleLine: true })
  if (existing) {
    if (!(await verifyPassword(existing.passwordHash, String(input.password ?? '')))) throw invalid()
  } else {
    p.addAll(passwordProblems(String(input.password ?? ''), { minLength: deps.config.auth.passwordMinLength, email: inv.email }))
  }
  p.check()
  const passwordHash = existing ? undefined : await hashPassword(input.password)
  const result = await systemTx(deps.db.prisma, { tenantId: inv.tenantId, userId: existing?.id, purpose: 'auth' }, async (tx) => {
    const taken = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date() } })
    if (taken.count !== 1) return undefined // accepted concurrently
    const user = existing ?? (await tx.user.create({ data: { email: inv.email, passwordHash: passwordHash!, displayName } }))
    const key = { tenantId_userId: { tenantId: inv.tenantId, userId: user.id } }
    const m = (await tx.membership.findUnique({ where: key, include: { user: true, tenant: true } })) ??
      (await tx.membership.create({ data: { tenantId: inv.tenantId, userId: user.id, role: inv.role }, include: { user: true, tenant: true } }))
    await recordAudit(tx, inv.tenantId, { type: 'USER', id: user.id, label: user.email }, meta, { action: 'member.join', outcome: 'SUCCESS', resourceType: 'Member', resourceId: user.id, changes: { after: { role: m.role } }, metadata: { invitationId: inv.id } })
    return issueSession(deps, tx, m)
  })
  if (!result) throw invalid()
  return result
}
