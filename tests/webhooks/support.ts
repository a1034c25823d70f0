// A real webhook receiver on loopback, and the GraphQL calls the webhook tests share.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, expect } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import type { Session } from '../helpers/tenants.ts'

/** Flags that let a test app deliver to loopback over http, with fast retries. */
export const webhookEnv = {
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOKS_ALLOW_INSECURE: 'true',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_POLL_MS: '100',
}

export interface Received {
  path: string
  headers: Record<string, string>
  body: string
}

/** What the receiver answers to the n-th request (1-based) on a path: a status, or 'hang' (never answers). */
export type Plan = (n: number, r: Received) => number | 'hang'

export interface Receiver {
  url(path: string): string
  received: Received[]
  on(path: string, plan: Plan): void
  /** Requests so far on `path`. */
  at(path: string): Received[]
  close(): Promise<void>
}

/** Starts a receiver on 127.0.0.1 (closed after the file's tests); unplanned paths answer 204. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  const plans = new Map<string, Plan>()
  const hanging = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') }
      received.push(r)
      const n = received.filter((x) => x.path === r.path).length
      const answer = plans.get(r.path)?.(n, r) ?? 204
      if (answer === 'hang') return void hanging.add(res)
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? 'receiver says no' : '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const close = () => new Promise<void>((resolve) => {
    for (const res of hanging) res.destroy()
    server.closeAllConnections()
    server.close(() => resolve())
  })
  afterAll(close)
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path, plan) => void plans.set(path, plan),
    at: (path) => received.filter((r) => r.path === path),
    close,
  }
}

export interface WebhookData {
  id: string
  url: string
  events: string[]
  enabled: boolean
  description: string
}
export interface DeliveryData {
  id: string
  webhookId: string
  eventId: string
  type: string
  status: string
  attempts: number
  lastStatusCode: number | null
  lastError: string | null
  nextAttemptAt: string | null
  deliveredAt: string | null
}
export const webhookFields = 'id url events enabled description'
export const deliveryFields = 'id webhookId eventId type status attempts lastStatusCode lastError nextAttemptAt deliveredAt'

type Who = Pick<Session, 'headers'>

export const createWebhookRaw = (t: TestApp, s: Who, input: Record<string, unknown>) =>
  t.gql<{ createWebhook: { webhook: WebhookData; secret: string } }>(`mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { ${webhookFields} } secret } }`, { input }, s.headers)

/** Registers an endpoint; returns it and its secret. */
export async function createWebhook(t: TestApp, s: Who, input: Record<string, unknown>) {
  const r = await createWebhookRaw(t, s, input)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createWebhook
}

/** The endpoint's deliveries (newest first), optionally of one status. */
export async function deliveries(t: TestApp, s: Who, webhookId: string, status?: string): Promise<DeliveryData[]> {
  const r = await t.gql<{ webhook: { deliveries: { edges: { node: DeliveryData }[] } } }>(
    `query($id: ID!, $filter: WebhookDeliveryFilter) { webhook(id: $id) { deliveries(first: 50, filter: $filter) { edges { node { ${deliveryFields} } } } } }`,
    { id: webhookId, filter: status ? { status } : null }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.webhook.deliveries.edges.map((e) => e.node)
}

/** Creates a built-in tool (a catalog change: a `tool.create` event). */
export async function createEchoTool(t: TestApp, s: Who, name: string) {
  const r = await t.gql<{ createTool: { tool: { id: string } } }>('mutation($n: String!) { createTool(input: { name: $n, description: "x", kind: BUILTIN, handler: "echo" }) { tool { id } } }', { n: name }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createTool.tool.id
}

/** Polls `check` until it passes (or throws its last failure after `ms`). */
export async function eventually<T>(check: () => Promise<T>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}
