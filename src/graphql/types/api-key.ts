import { sessionOf } from '../../context.ts'
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../../services/api-keys.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'
import { ScopeEnum } from './enums.ts'

export const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  authScopes: tenantRowScopes(),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The non-secret start of the key, to recognise it.' }),
    scopes: t.expose('scopes', { type: [ScopeEnum] }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Recorded with one-minute resolution.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    rotatedAt: t.expose('rotatedAt', { type: 'DateTime', nullable: true }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true, description: 'Until when the secret replaced by the last rotation still works.' }),
    createdBy: t.relation('createdBy', { nullable: true, description: 'Requires MEMBERS_MANAGE.', authScopes: { scope: 'MEMBERS_MANAGE' } }),
  }),
})

builder.queryField('apiKeys', (t) =>
  t.connection(
    {
      type: ApiKeyRef,
      authScopes: { scope: 'KEYS_MANAGE' },
      resolve: (_root, args, ctx) => pageConnection(ctx, 'apiKeys', args, listApiKeys),
    },
    ...connectionNames('ApiKey'),
  ),
)

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.field({ type: [ScopeEnum], required: true, description: 'A subset of your own scopes.' }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
})
const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', { fields: (t) => ({ id: t.id({ required: true }) }) })
const RotateApiKeyInput = builder.inputType('RotateApiKeyInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    gracePeriodSeconds: t.int({ description: 'How long the old secret keeps working (0 = not at all; default from server config; at most 30 days).' }),
  }),
})

const ApiKeySecretPayload = (name: string) =>
  builder.objectRef<{ apiKey: object; secret: string }>(name).implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.apiKey as never }),
      secret: t.exposeString('secret', { description: 'The key itself, shown only in this response.' }),
    }),
  })
const RevokeApiKeyPayload = builder.objectRef<{ apiKey: object }>('RevokeApiKeyPayload').implement({
  fields: (t) => ({ apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.apiKey as never }) }),
})

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: ApiKeySecretPayload('CreateApiKeyPayload'),
    auditAction: 'api_key.create',
    authScopes: { scope: 'KEYS_MANAGE' },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_r, { input }, ctx) => createApiKey(sessionOf(ctx), input),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    auditAction: 'api_key.revoke',
    authScopes: { scope: 'KEYS_MANAGE' },
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ apiKey: await revokeApiKey(sessionOf(ctx), { id: decodeId(input.id, 'ApiKey') }) }),
  }),
  rotateApiKey: t.field({
    type: ApiKeySecretPayload('RotateApiKeyPayload'),
    auditAction: 'api_key.rotate',
    authScopes: { scope: 'KEYS_MANAGE' },
    args: { input: t.arg({ type: RotateApiKeyInput, required: true }) },
    resolve: (_r, { input }, ctx) => rotateApiKey(sessionOf(ctx), { id: decodeId(input.id, 'ApiKey'), gracePeriodSeconds: input.gracePeriodSeconds }),
  }),
}))
