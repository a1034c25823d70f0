// Sign-up, login, refresh, logout and password changes: the unauthenticated entry points and the session lifecycle.
import { AppError } from '../errors.ts'
import { hashPassword, passwordProblems, verifyPassword } from '../auth/passwords.ts'
import { hashSecret, isSecret } from '../auth/secrets.ts'
import type { AppDeps, RequestMeta, Session } from './session.ts'
import { uuidv7 } from '../db/ids.ts'
import { afterCommit, systemTx } from '../db/scope.ts'
import { recordAudit } from './audit.ts'
import { issueSession, revokeFamily, type AuthResult } from './sessions.ts'
import { assertAccountNotLocked, recordLoginFailure, throttleIp } from './throttle.ts'
import { email as emailOf, Problems, text } from './validation.ts'
import { countAuth } from '../metrics-work.ts'

const invalidLogin = () => new AppError('UNAUTHENTICATED', 'Invalid email or password.')
const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === 'P2002'

/** Creates a tenant and its OWNER (a new account, or an existing one whose password is given). */
export async function signUp(deps: AppDeps, meta: RequestMeta, input: { tenantName: string; email: string; password: string; displayName?: string | null }): Promise<AuthResult> {
  if (!deps.config.auth.allowSignUp) throw new AppError('FORBIDDEN', 'Sign-up is disabled on this server.')
  await throttleIp(deps, meta)
  const p = new Problems()
  const tenantName = text(p, 'tenantName', input.tenantName, { max: 100, singleLine: true })
  const email = emailOf(p, 'email', input.email)
  const displayName = input.displayName == null ? null : text(p, 'displayName', input.displayName, { max: 100, singleLine: true })
  p.check()
  const existing = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) => tx.user.findUnique({ where: { email } }))
  if (existing) {
    // The account owner may create another tenant; anyone else learns only that the address is taken.
    if (!(await verifyPassword(existing.passwordHash, input.password))) {
      throw new AppError('CONFLICT', 'An account with this email already exists; give its password to create another tenant.', { fields: [{ path: 'email', message: 'is already registered' }] })
    }
  } else {
    p.addAll(passwordProblems(input.password, { minLength: deps.config.auth.passwordMinLength, email }))
    p.check()
  }
  const passwordHash = existing ? undefined : await hashPassword(input.password)
  const tenantId = uuidv7()
  try {
    return await systemTx(deps.db.prisma, { tenantId, purpose: 'auth' }, async (tx) => {
      const tenant = await tx.tenant.create({ data: { id: tenantId, name: tenantName } })
      const user = existing ?? (await tx.user.create({ data: { email, passwordHash: passwordHash!, displayName } }))
      const membership = await tx.membership.create({ data: { tenantId, userId: user.id, role: 'OWNER' } })
      const actor = { type: 'USER' as const, id: user.id, label: email }
      await recordAudit(tx, tenantId, actor, meta, { action: 'auth.signup', outcome: 'SUCCESS', resourceType: 'Tenant', resourceId: tenantId, changes: { after: { name: tenantName, plan: tenant.plan, owner: email } }, metadata: { userId: user.id, newAccount: !existing } })
      return issueSession(deps, tx, { ...membership, user, tenant })
    })
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'An account with this email already exists.', { fields: [{ path: 'email', message: 'is already registered' }] })
    throw e
  }
}

/** Checks email and password and opens a session in the requested (or the user's first) tenant. */
export function login(deps: AppDeps, meta: RequestMeta, input: { email: string; password: string; tenantId?: string | null }): Promise<AuthResult> {
  return countAuth(deps.metrics, 'password', checkPassword(deps, meta, input))
}

async function checkPassword(deps: AppDeps, meta: RequestMeta, input: { email: string; password: string; tenantId?: string | null }): Promise<AuthResult> {
  await throttleIp(deps, meta)
  const email = String(input.email ?? '').trim().toLowerCase()
  await assertAccountNotLocked(deps, email)
  const user = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) => tx.user.findUnique({ where: { email } }))
  const ok = await verifyPassword(user?.passwordHash, String(input.password ?? ''))
  const memberships = user
    ? await systemTx(deps.db.prisma, { purpose: 'auth', userId: user.id }, (tx) =>
        tx.membership.findMany({ where: { userId: user.id }, include: { tenant: true, user: true }, orderBy: { createdAt: 'asc' }, take: 100 }))
    : []
  const chosen = input.tenantId ? memberships.find((m) => m.tenantId === input.tenantId) : memberships[0]
  if (!ok || !chosen) {
    await recordLoginFailure(deps, email)
    const reason = !user ? 'unknown_account' : !ok ? 'wrong_password' : 'no_access_to_tenant'
    // Each tenant the account belongs to sees attempts on it; attempts on unknown accounts belong to no tenant.
    const tenants = user ? (input.tenantId ? memberships.filter((m) => m.tenantId === input.tenantId) : memberships).map((m) => m.tenantId) : []
    for (const tenantId of tenants.length ? tenants : [null]) {
      await systemTx(deps.db.prisma, { tenantId: tenantId ?? undefined, purpose: 'auth' }, (tx) =>
        recordAudit(tx, tenantId, { type: user ? 'USER' : 'ANONYMOUS', id: user?.id, label: email.slice(0, 254) }, meta, { action: 'auth.login', outcome: 'FAILURE', resourceType: 'User', resourceId: user?.id, metadata: { reason } }))
    }
    throw invalidLogin()
  }
  return systemTx(deps.db.prisma, { tenantId: chosen.tenantId, userId: chosen.userId }, async (tx) => {
    await recordAudit(tx, chosen.tenantId, { type: 'USER', id: chosen.userId, label: email }, meta, { action: 'auth.login', outcome: 'SUCCESS', resourceType: 'User', resourceId: chosen.userId })
    return issueSession(deps, tx, chosen)
  })
}

/** Rotates a refresh token. A token presented twice revokes its whole family (it was stolen or replayed). */
export function refresh(deps: AppDeps, meta: RequestMeta, input: { refreshToken: string }): Promise<AuthResult> {
  return countAuth(deps.metrics, 'refresh_token', rotateRefreshToken(deps, meta, input))
}

async function rotateRefreshToken(deps: AppDeps, meta: RequestMeta, input: { refreshToken: string }): Promise<AuthResult> {
  await throttleIp(deps, meta)
  const presented = String(input.refreshToken ?? '')
  if (!isSecret(presented, 'rt')) throw new AppError('UNAUTHENTICATED', 'Invalid or expired refresh token.')
  const token = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) => tx.refreshToken.findUnique({ where: { tokenHash: hashSecret(presented) } }))
  if (!token) throw new AppError('UNAUTHENTICATED', 'Invalid or expired refresh token.')
  const outcome = await systemTx(deps.db.prisma, { tenantId: token.tenantId, userId: token.userId }, async (tx) => {
    const actor = { type: 'USER' as const, id: token.userId }
    // Claim the token atomically: of two concurrent uses, one rotates and the other is a reuse.
    const live = !token.revokedAt && token.expiresAt > new Date()
    const claimed = live && (await tx.refreshToken.updateMany({ where: { id: token.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } })).count === 1
    if (!claimed) {
      if (live) {
        await revokeFamily(tx, token.familyId)
        await recordAudit(tx, token.tenantId, actor, meta, { action: 'auth.refresh_reuse_detected', outcome: 'FAILURE', resourceType: 'Session', resourceId: token.familyId })
      }
      return undefined
    }
    const m = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: token.tenantId, userId: token.userId } }, include: { user: true, tenant: true } })
    if (!m || token.createdAt < m.user.passwordChangedAt) {
      await revokeFamily(tx, token.familyId)
      return undefined
    }
    await recordAudit(tx, token.tenantId, actor, meta, { action: 'auth.refresh', outcome: 'SUCCESS', resourceType: 'Session', resourceId: token.familyId })
    return issueSession(deps, tx, m, token.familyId)
  })
  if (!outcome) throw new AppError('UNAUTHENTICATED', 'Invalid or expired refresh token.')
  return outcome
}

/** Ends the caller's session: its refresh family is revoked and this access token denied until it expires. */
export async function logout(s: Session): Promise<void> {
  const p = s.principal
  if (p.kind !== 'USER') throw new AppError('FORBIDDEN', 'API keys have no session to log out of; revoke the key instead.')
  await s.db.tx(async (tx) => {
    await revokeFamily(tx, p.sessionId)
    await recordAudit(tx, p.tenantId, { type: 'USER', id: p.userId, label: p.email }, s.meta, { action: 'auth.logout', outcome: 'SUCCESS', resourceType: 'Session', resourceId: p.sessionId })
  })
  await s.deps.denylist.add(p.tokenId, p.expiresAt)
  await s.deps.principals.revoke({ tokenId: p.tokenId })
}

/** Changes the caller's password; every existing session of the account ends, a new one is returned. */
export async function changePassword(s: Session, input: { currentPassword: string; newPassword: string }): Promise<AuthResult> {
  const p = s.principal
  if (p.kind !== 'USER') throw new AppError('FORBIDDEN', 'Only users have passwords.')
  const user = await s.db.tx((tx) => tx.user.findUniqueOrThrow({ where: { id: p.userId } }), { userId: p.userId })
  const problems = new Problems()
  if (!(await verifyPassword(user.passwordHash, String(input.currentPassword ?? '')))) problems.add('currentPassword', 'is incorrect')
  problems.addAll(passwordProblems(String(input.newPassword ?? ''), { minLength: s.deps.config.auth.passwordMinLength, email: user.email }, 'newPassword'))
  if (input.newPassword === input.currentPassword) problems.add('newPassword', 'must differ from the current password')
  problems.check()
  const passwordHash = await hashPassword(input.newPassword)
  // The account is global: written through the authentication path, which names the tenant and user explicitly.
  return systemTx(s.deps.db.prisma, { tenantId: p.tenantId, userId: p.userId }, async (tx) => {
    // Tokens issued before this instant stop working (access tokens at once, refresh tokens on their next use).
    await tx.user.update({ where: { id: p.userId }, data: { passwordHash, passwordChangedAt: new Date() } })
    await revokeFamily(tx, p.sessionId)
    // Every token issued before now, in every tenant.
    afterCommit(tx, () => void s.deps.principals.revoke({ userId: p.userId }))
    await recordAudit(tx, p.tenantId, { type: 'USER', id: p.userId, label: p.email }, s.meta, { action: 'auth.password_change', outcome: 'SUCCESS', resourceType: 'User', resourceId: p.userId })
    const m = await tx.membership.findUniqueOrThrow({ where: { tenantId_userId: { tenantId: p.tenantId, userId: p.userId } }, include: { user: true, tenant: true } })
    return issueSession(s.deps, tx, m)
  })
}
