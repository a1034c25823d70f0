// Sessions: an access token plus an opaque refresh token. Refresh tokens rotate on every use; all tokens of one
// login share a family, and presenting an already-used token revokes the whole family (token theft detection).
import { randomUUID } from 'node:crypto'
import { tenantSnapshotOf, type UserPrincipal } from '../auth/principal.ts'
import { scopesOf } from '../auth/scopes.ts'
import { hashSecret, newSecret } from '../auth/secrets.ts'
import type { AppDeps } from './session.ts'
import type { Tx } from '../db/scope.ts'
import type { Membership, Tenant, User } from '../generated/prisma/client.ts'

export interface AuthResult {
  accessToken: string
  refreshToken: string
  /** When the access token expires. */
  expiresAt: Date
  user: User
  tenant: Tenant
  /** The caller from now on (the rest of the request runs as this principal). */
  principal: UserPrincipal
}

/** Creates a refresh token in `familyId` (a new family when omitted) and signs an access token. Runs in `tx`. */
export async function issueSession(deps: AppDeps, tx: Tx, m: Membership & { user: User; tenant: Tenant }, familyId: string = randomUUID()): Promise<AuthResult> {
  const refreshToken = newSecret('rt')
  await tx.refreshToken.create({
    data: {
      tenantId: m.tenantId,
      userId: m.userId,
      familyId,
      tokenHash: hashSecret(refreshToken),
      expiresAt: new Date(Date.now() + deps.config.auth.refreshTokenTtl * 1000),
    },
  })
  const { token, claims } = await deps.keys.sign({ userId: m.userId, tenantId: m.tenantId, sessionId: familyId })
  return {
    accessToken: token,
    refreshToken,
    expiresAt: claims.expiresAt,
    user: m.user,
    tenant: m.tenant,
    principal: {
      kind: 'USER',
      tenantId: m.tenantId,
      userId: m.userId,
      email: m.user.email,
      role: m.role,
      scopes: scopesOf(m.role),
      tokenId: claims.tokenId,
      sessionId: familyId,
      expiresAt: claims.expiresAt,
      tenant: tenantSnapshotOf(m.tenant),
    },
  }
}

/** Revokes every refresh token of a family. */
export async function revokeFamily(tx: Tx, familyId: string) {
  await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } })
}
