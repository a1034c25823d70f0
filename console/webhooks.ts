// Webhooks and their deliveries: the endpoints of the tenant, then, for the one picked, every delivery page by page
// (status, event type, attempts, last HTTP status or error) with a status filter and a button to send one again.
import { RedeliverWebhookDocument, WebhookDeliveriesDocument, WebhooksDocument, type WebhookDeliveryFieldsFragment, type WebhookDeliveryStatus } from '../clients/generated/graphql.ts'
import { describeError, request } from './api.ts'
import { h } from './dom.ts'
import { pagedList } from './paged.ts'

const statuses: WebhookDeliveryStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'DEAD']
const time = (t: unknown) => (t ? new Date(t as string).toLocaleTimeString() : '')

function deliveriesOf(webhookId: string, url: string): HTMLElement {
  const filter = h('select', { 'data-testid': 'delivery-filter', 'aria-label': 'Delivery status' }, h('option', { value: '' }, 'any status'), ...statuses.map((s) => h('option', { value: s }, s.toLowerCase())))
  const error = h('p', { class: 'error', 'data-testid': 'delivery-error' })
  const row = (d: WebhookDeliveryFieldsFragment) => {
    const redeliver = h('button', { type: 'button', 'data-testid': 'redeliver' }, 'Redeliver')
    const status = h('span', { class: `status ${d.status}`, 'data-testid': 'delivery-status' }, d.status)
    redeliver.addEventListener('click', () => {
      redeliver.disabled = true
      request(RedeliverWebhookDocument, { input: { deliveryId: d.id } }).then(({ redeliverWebhook }) => {
        status.textContent = redeliverWebhook.delivery.status
        status.className = `status ${redeliverWebhook.delivery.status}`
      }, (e) => (error.textContent = describeError(e))).finally(() => (redeliver.disabled = false))
    })
    const outcome = d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? '')
    return h('tr', { 'data-testid': 'delivery' }, h('td', {}, status), h('td', {}, d.type), h('td', { class: 'muted' }, `${d.attempts}× ${outcome}`), h('td', { class: 'muted' }, time(d.deliveredAt ?? d.nextAttemptAt ?? d.createdAt)), h('td', {}, redeliver))
  }
  const list = pagedList(`Deliveries to ${url}`, async (after) => {
    const { webhook } = await request(WebhookDeliveriesDocument, { id: webhookId, first: 10, after, filter: filter.value ? { status: filter.value as WebhookDeliveryStatus } : null })
    return webhook?.deliveries ?? { edges: [], pageInfo: { hasNextPage: false } }
  }, row, 'deliveries')
  filter.addEventListener('change', () => void list.reload())
  return h('div', {}, filter, list.element, error)
}

/** The Webhooks card (shown to principals with WEBHOOKS_MANAGE). */
export function webhooksCard(): HTMLElement {
  const detail = h('div')
  const list = pagedList('Webhooks', async (after) => (await request(WebhooksDocument, { first: 10, after })).webhooks,
    (w) => h('tr', { onclick: () => detail.replaceChildren(deliveriesOf(w.id, w.url)), style: 'cursor:pointer' },
      h('td', {}, w.url), h('td', { class: 'muted' }, w.events.join(', ')), h('td', {}, h('span', { class: `status ${w.enabled ? 'SUCCEEDED' : 'CANCELLED'}` }, w.enabled ? 'on' : 'off'))), 'webhooks')
  return h('div', {}, list.element, detail)
}
