// Who is calling. The tenant of every request comes from here, never from arguments.
import type { ActorType, Role, Scope } from '../generated/prisma/enums.ts'

export interface UserPrincipal {
  kind: 'USER'
  tenantId: string
  userId: string
  email: string
  role: Role
  scopes: ReadonlySet<Scope>
  /** The access token's jti and the refresh family (session) it belongs to. */
  tokenId: string
  sessionId: string
  expiresAt: Date
  /** Set while the tenant is scheduled for deletion: only an owner may read the tenant and cancel. */
  tenantDeletionScheduledAt: Date | null
}

export interface ApiKeyPrincipal {
  kind: 'API_KEY'
  tenantId: string
  apiKeyId: string
  name: string
  scopes: ReadonlySet<Scope>
  createdById: string | null
  expiresAt: Date | null
  /** Set while the tenant is scheduled for deletion: the key is refused for everything. */
  tenantDeletionScheduledAt: Date | null
}

export type Principal = UserPrincipal | ApiKeyPrincipal

/** The id recorded as actor (audit) and used as the per-principal rate-limit key. */
export const principalId = (p: Principal) => (p.kind === 'USER' ? p.userId : p.apiKeyId)

export const actorType = (p: Principal | undefined): ActorType => (p ? p.kind : 'ANONYMOUS')
