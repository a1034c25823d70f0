// Who is calling. The tenant of every request comes from here, never from arguments.
import type { Tenant } from '../generated/prisma/client.ts'
import type { ActorType, Role, Scope } from '../generated/prisma/enums.ts'

/**
 * The columns of the principal's tenant read with the credential, so `viewer { tenant { id name } }` needs no
 * statement of its own. Current only while the principal cache holds the principal (PrincipalCache.isCurrent): every
 * change to one of these columns drops the tenant's cached principals on every process. `plan` is not here: an
 * operator changes it from the CLI, which has no pub/sub.
 */
export const tenantSnapshotFields = ['id', 'name', 'redactPii', 'createdAt', 'deletionRequestedAt', 'deletionScheduledAt'] as const
export type TenantSnapshot = Pick<Tenant, (typeof tenantSnapshotFields)[number]>

/** The Prisma `select` of the snapshot's columns. */
export const tenantSnapshotSelect = Object.fromEntries(tenantSnapshotFields.map((f) => [f, true])) as Record<(typeof tenantSnapshotFields)[number], true>

/** The snapshot of a tenant row that may hold more columns. */
export const tenantSnapshotOf = (t: TenantSnapshot): TenantSnapshot => Object.fromEntries(tenantSnapshotFields.map((f) => [f, t[f]])) as TenantSnapshot

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
  /** Its `deletionScheduledAt` is set while the tenant is scheduled for deletion: only an owner may read the tenant and cancel. */
  tenant: TenantSnapshot
}

export interface ApiKeyPrincipal {
  kind: 'API_KEY'
  tenantId: string
  apiKeyId: string
  name: string
  scopes: ReadonlySet<Scope>
  createdById: string | null
  expiresAt: Date | null
  /** Its `deletionScheduledAt` is set while the tenant is scheduled for deletion: the key is refused for everything. */
  tenant: TenantSnapshot
}

export type Principal = UserPrincipal | ApiKeyPrincipal

/** The id recorded as actor (audit) and used as the per-principal rate-limit key. */
export const principalId = (p: Principal) => (p.kind === 'USER' ? p.userId : p.apiKeyId)

export const actorType = (p: Principal | undefined): ActorType => (p ? p.kind : 'ANONYMOUS')
