// API keys: tenant credentials for programs. The secret is shown once and stored as a hash; a key never holds
// more scopes than its creator; rotation keeps the old secret working for a grace period.
import { afterCommit } from '../db/scope.ts'
import { AppError, notFound } from '../errors.ts'
import { apiKeyPrefix, hashSecret, newSecret } from '../auth/secrets.ts'
import type { Session } from './session.ts'
import type { ApiKey } from '../generated/prisma/client.ts'
import type { Scope } from '../generated/prisma/enums.ts'
import { actorOf, recordAudit } from './audit.ts'
import { page, type PageRequest } from './paging.ts'
import { nameRule, Problems, text } from './validation.ts'

/** What an audit entry may show of a key (never its hashes). */
const visible = (k: Pick<ApiKey, 'name' | 'prefix' | 'scopes' | 'expiresAt'>) => ({ name: k.name, prefix: k.prefix, scopes: k.scopes, expiresAt: k.expiresAt?.toISOString() ?? null })

/** API keys of the caller's tenant, newest first. */
export const listApiKeys = (s: Session, req: PageRequest) =>
  page(req, 'id', (args) => s.db.client.apiKey.findMany(args), () => s.db.client.apiKey.count())

/** Creates a key with a subset of the caller's scopes; returns it with its secret (the only time it is shown). */
export async function createApiKey(s: Session, input: { name: string; scopes: Scope[]; expiresAt?: Date | null }) {
  const p = new Problems()
  const name = text(p, 'name', input.name, nameRule)
  const scopes = [...new Set(input.scopes)]
  if (!scopes.length) p.add('scopes', 'must name at least one scope')
  if (input.expiresAt && input.expiresAt <= new Date()) p.add('expiresAt', 'must be in the future')
  p.check()
  const excess = scopes.filter((sc) => !s.principal.scopes.has(sc))
  if (excess.length) throw new AppError('FORBIDDEN', `A key cannot have scopes you do not hold: ${excess.join(', ')}.`)
  const secret = newSecret('apk')
  const apiKey = await s.db.tx(async (tx) => {
    const key = await tx.apiKey.create({
      data: {
        tenantId: s.principal.tenantId, name, scopes, prefix: apiKeyPrefix(secret), secretHash: hashSecret(secret),
        expiresAt: input.expiresAt ?? null, createdById: s.principal.kind === 'USER' ? s.principal.userId : s.principal.createdById,
      },
    })
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'api_key.create', outcome: 'SUCCESS', resourceType: 'ApiKey', resourceId: key.id, changes: { after: visible(key) } })
    return key
  })
  return { apiKey, secret }
}

/** Revokes a key at once (idempotent). */
export async function revokeApiKey(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: input.id } })
    if (!key) throw notFound('API key')
    if (key.revokedAt) return key
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date(), previousSecretExpiresAt: null } })
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: key.tenantId, apiKeyId: key.id }))
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'api_key.revoke', outcome: 'SUCCESS', resourceType: 'ApiKey', resourceId: key.id, changes: { before: visible(key) } })
    return revoked
  })
}

/** Issues a new secret; the old one keeps working for `gracePeriodSeconds` (default from config, 0 = stop now). */
export async function rotateApiKey(s: Session, input: { id: string; gracePeriodSeconds?: number | null }) {
  const max = 30 * 86_400
  const grace = input.gracePeriodSeconds ?? s.deps.config.auth.apiKeyRotationGrace
  if (!Number.isInteger(grace) || grace < 0 || grace > max) {
    throw new AppError('VALIDATION_FAILED', 'Input is invalid.', { fields: [{ path: 'gracePeriodSeconds', message: `must be an integer between 0 and ${max}` }] })
  }
  const secret = newSecret('apk')
  const apiKey = await s.db.tx(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: input.id } })
    if (!key) throw notFound('API key')
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= new Date())) throw new AppError('CONFLICT', 'A revoked or expired key cannot be rotated.')
    const now = new Date()
    const rotated = await tx.apiKey.update({
      where: { id: key.id },
      data: {
        prefix: apiKeyPrefix(secret), secretHash: hashSecret(secret), rotatedAt: now,
        previousPrefix: grace > 0 ? key.prefix : null,
        previousSecretHash: grace > 0 ? key.secretHash : null,
        previousSecretExpiresAt: grace > 0 ? new Date(now.getTime() + grace * 1000) : null,
      },
    })
    // The previous secret's validity changed (its grace period): cached principals of either secret are re-read.
    afterCommit(tx, () => void s.deps.principals.revoke({ tenantId: key.tenantId, apiKeyId: key.id }))
    await recordAudit(tx, s.principal.tenantId, actorOf(s.principal), s.meta, { action: 'api_key.rotate', outcome: 'SUCCESS', resourceType: 'ApiKey', resourceId: key.id, changes: { before: { prefix: key.prefix }, after: { prefix: rotated.prefix } }, metadata: { gracePeriodSeconds: grace } })
    return rotated
  })
  return { apiKey, secret }
}
