// Webhook endpoints of a tenant: registration, changes, secret rotation and removal, each audited in its
// transaction. The signing secret is shown once (create, rotate) and never readable again.
import { notFound } from '../../errors.ts'
import type { Prisma, Webhook } from '../../generated/prisma/client.ts'
import { webhookEventTypes } from '../../events/webhook-outbox.ts'
import { validateToolUrl } from '../../tools/http-tool.ts'
import { auditChange } from '../audit.ts'
import { page, type PageRequest } from '../paging.ts'
import type { Session } from '../session.ts'
import { descriptionRule, Problems, text } from '../validation.ts'
import { newWebhookSecret } from './signing.ts'

const MAX_PATTERNS = 50
const DROPPED_DISABLED = 'Dropped: the endpoint was disabled before delivery.'

export type WebhookQuery = Omit<Prisma.WebhookFindUniqueArgs, 'where'>

/** What an audit entry may show of an endpoint (never its secrets). */
const visible = (w: Pick<Webhook, 'url' | 'events' | 'enabled' | 'description'>) => ({ url: w.url, events: w.events, enabled: w.enabled, description: w.description })

/** The SSRF policy endpoints are held to, from the WEBHOOKS_ALLOW_* flags. */
export const webhookPolicy = (s: Pick<Session, 'deps'>) => {
  const c = s.deps.config.webhooks
  return { allowPrivateNetworks: c.allowPrivateNetworks, allowInsecureHttp: c.allowInsecureHttp }
}

function checkUrl(p: Problems, s: Session, url: unknown) {
  p.addAll(validateToolUrl(url, webhookPolicy(s)))
  return typeof url === 'string' ? url : ''
}

// Each entry is a known type, `<prefix>.*` for a prefix some known type has, or `*`; duplicates collapse.
function checkEvents(p: Problems, events: unknown): string[] {
  if (!Array.isArray(events) || events.length === 0) {
    p.add('events', 'must name at least one event type')
    return []
  }
  if (events.length > MAX_PATTERNS) p.add('events', `must name at most ${MAX_PATTERNS} event types`)
  events.forEach((e, i) => {
    const known = typeof e === 'string' && (e === '*' || webhookEventTypes.includes(e) || (e.endsWith('.*') && webhookEventTypes.some((t) => t.startsWith(e.slice(0, -1)))))
    if (!known) p.add(`events.${i}`, `is not a known event type (${webhookEventTypes.join(', ')}, a prefix with .*, or *)`)
  })
  return [...new Set(events as string[])]
}

/** The tenant's endpoints, newest first. */
export const listWebhooks = (s: Session, req: PageRequest) =>
  page(req, 'id', (args) => s.db.client.webhook.findMany(args), () => s.db.client.webhook.count())

/** One endpoint of the tenant; NOT_FOUND for a missing or foreign id. */
export async function getWebhook(s: Session, id: string, query: WebhookQuery = {}) {
  const webhook = await s.db.client.webhook.findUnique({ ...query, where: { id } })
  if (!webhook) throw notFound('Webhook')
  return webhook
}

/** Registers an endpoint; returns it with its signing secret (the only time the secret is shown). */
export async function createWebhook(s: Session, input: { url: string; events: string[]; description?: string | null }) {
  const p = new Problems()
  const url = checkUrl(p, s, input.url)
  const events = checkEvents(p, input.events)
  const description = text(p, 'description', input.description ?? '', descriptionRule)
  p.check()
  const secret = newWebhookSecret()
  const webhook = await s.db.tx(async (tx) => {
    const created = await tx.webhook.create({ data: { tenantId: s.principal.tenantId, url, events, description, secret } })
    await auditChange(tx, s, { action: 'webhook.create', resourceType: 'Webhook', resourceId: created.id, changes: { after: visible(created) } })
    return created
  })
  return { webhook, secret }
}

/**
 * Changes an endpoint's URL, event types or enabled flag. Disabling drops its undelivered deliveries (DEAD, with the
 * reason) in the same transaction, so nothing is sent to an endpoint after it was switched off.
 */
export async function updateWebhook(s: Session, input: { id: string; url?: string | null; events?: string[] | null; enabled?: boolean | null }) {
  const p = new Problems()
  const url = input.url != null ? checkUrl(p, s, input.url) : undefined
  const events = input.events != null ? checkEvents(p, input.events) : undefined
  p.check()
  return s.db.tx(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id: input.id } })
    if (!before) throw notFound('Webhook')
    const after = await tx.webhook.update({ where: { id: before.id }, data: { url, events, enabled: input.enabled ?? undefined } })
    if (before.enabled && !after.enabled) {
      await tx.webhookDelivery.updateMany({
        where: { webhookId: after.id, status: { in: ['PENDING', 'FAILED'] } },
        data: { status: 'DEAD', lastError: DROPPED_DISABLED, leaseUntil: null },
      })
    }
    await auditChange(tx, s, { action: 'webhook.update', resourceType: 'Webhook', resourceId: after.id, changes: { before: visible(before), after: visible(after) } })
    return after
  })
}

/** Deletes an endpoint with its delivery history; deliveries not yet sent are never sent. */
export async function deleteWebhook(s: Session, input: { id: string }) {
  return s.db.tx(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id: input.id } })
    if (!webhook) throw notFound('Webhook')
    await tx.webhook.delete({ where: { id: webhook.id } })
    await auditChange(tx, s, { action: 'webhook.delete', resourceType: 'Webhook', resourceId: webhook.id, changes: { before: visible(webhook) } })
    return webhook.id
  })
}

/** Issues a new signing secret; the old one keeps signing alongside for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS. */
export async function rotateWebhookSecret(s: Session, input: { id: string }) {
  const grace = s.deps.config.webhooks.secretRotationGraceSeconds
  const secret = newWebhookSecret()
  const webhook = await s.db.tx(async (tx) => {
    const before = await tx.webhook.findUnique({ where: { id: input.id } })
    if (!before) throw notFound('Webhook')
    const rotated = await tx.webhook.update({
      where: { id: before.id },
      data: { secret, previousSecret: grace > 0 ? before.secret : null, previousSecretExpiresAt: grace > 0 ? new Date(Date.now() + grace * 1000) : null },
    })
    await auditChange(tx, s, { action: 'webhook.rotate_secret', resourceType: 'Webhook', resourceId: before.id, metadata: { gracePeriodSeconds: grace } })
    return rotated
  })
  return { webhook, secret }
}
