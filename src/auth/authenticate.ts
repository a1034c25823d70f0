// Turns the credentials of a request (HTTP headers or graphql-ws connectionParams) into a principal.
// No credentials → anonymous; any bad credential → UNAUTHENTICATED (never silently anonymous).
import type { Database } from '../db/client.ts'
import { systemTx } from '../db/scope.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { Denylist } from './denylist.ts'
import type { KeyRing } from './jwt.ts'
import type { PrincipalCache } from './principal-cache.ts'
import { tenantSnapshotOf, tenantSnapshotSelect, type ApiKeyPrincipal, type Principal, type UserPrincipal } from './principal.ts'
import { scopesOf } from './scopes.ts'
import { apiKeyPrefix, hashSecret, isSecret, sameHash } from './secrets.ts'
import { countAuth, type WorkMetrics } from '../metrics-work.ts'

/**
 * A credential as presented; `undefined` when the request carries none. Reading never throws: a malformed one is a
 * credential that fails authentication, so every transport refuses it in the same place (and counts it the same way).
 */
export type Credential = { kind: 'bearer' | 'apiKey'; value: string } | { kind: 'malformed' } | undefined

/** What authentication reads: signing keys, revoked tokens, memberships and API keys. */
export interface AuthDeps {
  db: Database
  keys: KeyRing
  denylist: Denylist
  logger: Logger
  /** Reuses recent authentications (absent: every call reads the database). */
  principals?: PrincipalCache
  metrics?: Pick<WorkMetrics, 'authAttempts'>
}

const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Invalid or expired credentials.')

/** Reads `Authorization: Bearer …` or `X-API-Key`. A key in the query string is deliberately ignored. */
export function credentialFromHeaders(headers: Headers): Credential {
  const authorization = headers.get('authorization')
  const apiKey = headers.get('x-api-key')
  if (authorization !== null && apiKey !== null) return { kind: 'malformed' } // ambiguous: which one is meant?
  if (apiKey !== null) return { kind: 'apiKey', value: apiKey.trim() }
  if (authorization === null) return undefined
  const match = /^Bearer[ ]+(\S*)\s*$/i.exec(authorization)
  if (!match) return { kind: 'malformed' }
  return { kind: 'bearer', value: match[1]! }
}

/** Reads graphql-ws `connectionParams`: `{ authorization: "Bearer …" }` (any case of the key) or `{ apiKey }`. */
export function credentialFromParams(params: Record<string, unknown> | undefined | null): Credential {
  if (!params || typeof params !== 'object') return undefined
  const headers = new Headers()
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'string') continue
    if (k.toLowerCase() === 'authorization') headers.set('authorization', v)
    if (k === 'apiKey' || k.toLowerCase() === 'x-api-key') headers.set('x-api-key', v)
  }
  return credentialFromHeaders(headers)
}

/** Resolves a credential to a principal (undefined for none); throws UNAUTHENTICATED for a bad one. */
export async function authenticate(deps: AuthDeps, credential: Credential, opts: { failOpen?: boolean } = {}): Promise<Principal | undefined> {
  if (!credential) return undefined
  if (credential.kind === 'malformed' || !credential.value) return countAuth(deps.metrics, 'access_token', Promise.reject(unauthenticated()))
  const method = credential.kind === 'apiKey' || credential.value.startsWith('apk_') ? 'api_key' : 'access_token'
  const cached = deps.principals?.get(credential.value)
  if (cached) return countAuth(deps.metrics, method, Promise.resolve(cached))
  const begun = deps.principals?.begin() ?? 0
  const principal = method === 'api_key'
    ? await countAuth(deps.metrics, method, authenticateApiKey(deps, credential.value))
    : await countAuth(deps.metrics, method, authenticateAccessToken(deps, credential.value, opts))
  deps.principals?.set(credential.value, principal.principal, principal.until, begun)
  return principal.principal
}

/** A principal and the instant its credential stops being valid by itself (expiry; null: never). */
type Authenticated<P> = { principal: P; until: number | null }

async function authenticateAccessToken(deps: AuthDeps, token: string, opts: { failOpen?: boolean }): Promise<Authenticated<UserPrincipal>> {
  const claims = await deps.keys.verify(token)
  if (await deps.denylist.has(claims.tokenId, opts)) throw unauthenticated()
  const membership = await systemTx(deps.db.prisma, { tenantId: claims.tenantId, userId: claims.userId }, (tx) =>
    tx.membership.findUnique({
      where: { tenantId_userId: { tenantId: claims.tenantId, userId: claims.userId } },
      include: { user: { select: { email: true, passwordChangedAt: true } }, tenant: { select: tenantSnapshotSelect } },
    }))
  // Removed from the tenant, or the password changed after the token was issued.
  if (!membership || claims.issuedAt < membership.user.passwordChangedAt) {
    throw unauthenticated()
  }
  const principal: UserPrincipal = {
    kind: 'USER',
    tenantId: claims.tenantId,
    userId: claims.userId,
    email: membership.user.email,
    role: membership.role,
    scopes: scopesOf(membership.role),
    tokenId: claims.tokenId,
    sessionId: claims.sessionId,
    expiresAt: claims.expiresAt,
    tenant: tenantSnapshotOf(membership.tenant),
  }
  return { principal, until: claims.expiresAt.getTime() }
}

const lastUsedResolutionMs = 60_000

async function authenticateApiKey(deps: AuthDeps, secret: string): Promise<Authenticated<ApiKeyPrincipal>> {
  if (!isSecret(secret, 'apk')) throw unauthenticated()
  const prefix = apiKeyPrefix(secret)
  const key = await systemTx(deps.db.prisma, { purpose: 'auth' }, (tx) =>
    tx.apiKey.findFirst({ where: { OR: [{ prefix }, { previousPrefix: prefix }] } }))
  const now = new Date()
  const hash = hashSecret(secret)
  const current = key?.prefix === prefix && sameHash(key.secretHash, hash)
  const previous = key?.previousPrefix === prefix && !!key.previousSecretHash && sameHash(key.previousSecretHash, hash) &&
    !!key.previousSecretExpiresAt && key.previousSecretExpiresAt > now
  if (!key || !(current || previous) || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw unauthenticated()
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > lastUsedResolutionMs) {
    // Best effort and off the request path: a minute's resolution is plenty and saves a write per request.
    void deps.db.forTenant(key.tenantId).client.apiKey
      .updateMany({ where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - lastUsedResolutionMs) } }] }, data: { lastUsedAt: now } })
      .catch((err: Error) => deps.logger.warn({ err: err.message }, 'could not record API key use'))
  }
  const tenant = await deps.db.forTenant(key.tenantId).client.tenant.findFirst({ select: tenantSnapshotSelect })
  if (!tenant) throw unauthenticated()
  const principal: ApiKeyPrincipal = {
    kind: 'API_KEY',
    tenantId: key.tenantId,
    apiKeyId: key.id,
    name: key.name,
    scopes: new Set(key.scopes),
    createdById: key.createdById,
    expiresAt: key.expiresAt,
    tenant: tenantSnapshotOf(tenant),
  }
  // A previous secret (after a rotation) stops at the end of its grace period.
  const ends = [key.expiresAt, current ? null : key.previousSecretExpiresAt].filter((d): d is Date => !!d).map((d) => d.getTime())
  return { principal, until: ends.length ? Math.min(...ends) : null }
}
