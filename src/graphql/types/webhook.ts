import { encodeGlobalId } from '../../global-ids.ts'
import { sessionOf } from '../../context.ts'
import type { Webhook, WebhookDelivery } from '../../generated/prisma/client.ts'
import { webhookEventTypes } from '../../events/webhook-outbox.ts'
import { redeliverWebhook, listWebhookDeliveries } from '../../services/webhooks/deliveries.ts'
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from '../../services/webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Not attempted yet, or queued again by redeliverWebhook.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'The last attempt failed; the next one is due at nextAttemptAt.' },
    DEAD: { description: 'Given up after WEBHOOK_MAX_ATTEMPTS attempts, or dropped because the endpoint was disabled (see lastError).' },
  } as const,
})

export const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  authScopes: tenantRowScopes('WEBHOOKS_MANAGE'),
  fields: (t) => ({
    webhookId: t.id({ resolve: (d) => encodeGlobalId('Webhook', d.webhookId) }),
    eventId: t.exposeString('eventId', { description: 'The `webhook-id` header: the same on every attempt of this event.' }),
    type: t.exposeString('type'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started, including one cut short by a restart.' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, description: 'When the next attempt is due (PENDING and FAILED only).', resolve: (d) => (d.status === 'PENDING' || d.status === 'FAILED' ? d.nextAttemptAt : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
})

const WebhookDeliveryFilter = builder.inputType('WebhookDeliveryFilter', {
  fields: (t) => ({ status: t.field({ type: WebhookDeliveryStatusEnum }) }),
})

export const WebhookRef = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  authScopes: tenantRowScopes('WEBHOOKS_MANAGE'),
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.exposeStringList('events', { description: 'Event types, `prefix.*` wildcards or `*`.' }),
    enabled: t.exposeBoolean('enabled'),
    description: t.exposeString('description'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true, description: 'Until when the secret replaced by the last rotation still signs, alongside the new one.' }),
    deliveries: t.connection(
      {
        type: WebhookDeliveryRef,
        description: 'Deliveries to this endpoint, newest first.',
        args: { filter: t.arg({ type: WebhookDeliveryFilter }) },
        resolve: (w: Webhook, args, ctx) => pageConnection(ctx, 'webhookDeliveries', args, (s, req) => listWebhookDeliveries(s, w.id, req, args.filter ?? {})),
      },
      ...connectionNames('WebhookDelivery'),
    ),
  }),
})

builder.queryFields((t) => ({
  webhooks: t.connection(
    {
      type: WebhookRef,
      description: "The tenant's webhook endpoints, newest first.",
      authScopes: { scope: 'WEBHOOKS_MANAGE' },
      resolve: (_root, args, ctx) => pageConnection(ctx, 'webhooks', args, listWebhooks),
    },
    ...connectionNames('Webhook'),
  ),
  webhook: t.prismaField({
    type: 'Webhook',
    nullable: true,
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => getWebhook(sessionOf(ctx), decodeId(String(id), 'Webhook'), query),
  }),
}))

const eventsDescription = `Event types (${webhookEventTypes.join(', ')}), \`prefix.*\` wildcards or \`*\`.`
const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'An https URL of at most 2,048 characters; private, loopback, link-local and metadata addresses are refused.' }),
    events: t.stringList({ required: true, description: eventsDescription }),
    description: t.string({ description: 'Up to 2,000 characters.' }),
  }),
})
const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  description: 'Absent fields keep their value. Disabling drops the deliveries not yet made (DEAD, with the reason).',
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    events: t.stringList({ description: eventsDescription }),
    enabled: t.boolean(),
  }),
})
const IdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true }) }) })
const RedeliverWebhookInput = builder.inputType('RedeliverWebhookInput', { fields: (t) => ({ deliveryId: t.id({ required: true }) }) })

const SecretPayload = (name: string) =>
  builder.objectRef<{ webhook: Webhook; secret: string }>(name).implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (p) => p.webhook }),
      secret: t.exposeString('secret', { description: 'The signing secret (whsec_…), shown only in this response.' }),
    }),
  })
const UpdateWebhookPayload = builder.objectRef<{ webhook: Webhook }>('UpdateWebhookPayload').implement({
  fields: (t) => ({ webhook: t.field({ type: WebhookRef, resolve: (p) => p.webhook }) }),
})
const DeleteWebhookPayload = builder.objectRef<{ deletedId: string }>('DeleteWebhookPayload').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
})
const RedeliverWebhookPayload = builder.objectRef<{ delivery: WebhookDelivery }>('RedeliverWebhookPayload').implement({
  fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryRef, resolve: (p) => p.delivery }) }),
})

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: SecretPayload('CreateWebhookPayload'),
    auditAction: 'webhook.create',
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_r, { input }, ctx) => createWebhook(sessionOf(ctx), input),
  }),
  updateWebhook: t.field({
    type: UpdateWebhookPayload,
    auditAction: 'webhook.update',
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ webhook: await updateWebhook(sessionOf(ctx), { ...input, id: decodeId(String(input.id), 'Webhook') }) }),
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookPayload,
    auditAction: 'webhook.delete',
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { input: t.arg({ type: IdInput('DeleteWebhookInput'), required: true }) },
    resolve: async (_r, { input }, ctx) => ({ deletedId: encodeGlobalId('Webhook', await deleteWebhook(sessionOf(ctx), { id: decodeId(String(input.id), 'Webhook') })) }),
  }),
  rotateWebhookSecret: t.field({
    type: SecretPayload('RotateWebhookSecretPayload'),
    auditAction: 'webhook.rotate_secret',
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { input: t.arg({ type: IdInput('RotateWebhookSecretInput'), required: true }) },
    resolve: (_r, { input }, ctx) => rotateWebhookSecret(sessionOf(ctx), { id: decodeId(String(input.id), 'Webhook') }),
  }),
  redeliverWebhook: t.field({
    type: RedeliverWebhookPayload,
    auditAction: 'webhook.redeliver',
    authScopes: { scope: 'WEBHOOKS_MANAGE' },
    args: { input: t.arg({ type: RedeliverWebhookInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ delivery: await redeliverWebhook(sessionOf(ctx), { deliveryId: decodeId(String(input.deliveryId), 'WebhookDelivery') }) }),
  }),
}))
