// Managing endpoints: validation (SSRF policy, length, event types), scopes, audit, tenant isolation, and which
// changes enqueue what. No dispatcher runs on this database (WORKERS=0), so the outbox rows stay as written.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { addMember, codeOf, signUp } from '../helpers/tenants.ts'
import { auditRows, fieldsOf, rawId } from '../catalog/support.ts'
import { createEchoTool, createWebhook, createWebhookRaw, deliveries, deliveryFields, webhookFields } from './support.ts'

let t: TestApp
beforeAll(async () => {
  // A database of its own: no other file's dispatcher may attempt the deliveries these tests expect untouched.
  t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' })
})

const update = (s: { headers: Record<string, string> }, input: Record<string, unknown>) =>
  t.gql<{ updateWebhook: { webhook: { id: string; enabled: boolean; events: string[]; url: string } } }>(`mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { webhook { ${webhookFields} } } }`, { input }, s.headers)

describe('registering endpoints', () => {
  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const s = await signUp(t)
    const { webhook, secret } = await createWebhook(t, s, { url: 'https://hooks.example.com/in', events: ['execution.*', 'tool.create'], description: 'CI' })
    expect(secret).toMatch(/^whsec_/)
    expect(webhook).toMatchObject({ url: 'https://hooks.example.com/in', events: ['execution.*', 'tool.create'], enabled: true, description: 'CI' })
    const r = await t.gql<{ webhooks: { totalCount: number; edges: { node: { id: string } }[] } }>('{ webhooks(first: 10) { totalCount edges { node { id } } } }', {}, s.headers)
    expect(r.body.data!.webhooks).toMatchObject({ totalCount: 1, edges: [{ node: { id: webhook.id } }] })
    const audit = await auditRows(t, s, { action: 'webhook.create' })
    expect(audit).toHaveLength(1)
    expect(JSON.stringify(audit)).not.toContain(secret.slice(6))
  })

  it.each([
    ['plain http', 'http://hooks.example.com/in', 'https'],
    ['loopback', 'https://127.0.0.1/in', 'blocked address (loopback)'],
    ['a private network', 'https://10.1.2.3/in', 'blocked address (private network)'],
    ['the metadata endpoint', 'https://169.254.169.254/latest/meta-data', 'blocked address (link-local'],
    ['IPv6 loopback', 'https://[::1]/in', 'blocked address (loopback)'],
    ['localhost', 'https://localhost/in', 'localhost'],
    ['a URL over 2,048 characters', `https://hooks.example.com/${'a'.repeat(2_030)}`, 'at most 2048 characters'],
    ['a relative URL', '/in', 'absolute URL'],
  ])('refuses %s with VALIDATION_FAILED', async (_label, url, message) => {
    const s = await signUp(t)
    const r = await createWebhookRaw(t, s, { url, events: ['tool.create'] })
    expect(codeOf(r)).toBe('VALIDATION_FAILED')
    const fields = r.body.errors![0]!.extensions.fields as { path: string; message: string }[]
    expect(fields).toEqual([expect.objectContaining({ path: 'url', message: expect.stringContaining(message) })])
  })

  it('refuses unknown event types and empty lists, naming each', async () => {
    const s = await signUp(t)
    expect(fieldsOf(await createWebhookRaw(t, s, { url: 'https://hooks.example.com/', events: ['execution.succeeded', 'execution.exploded', 'nothing.*'] }))).toEqual(['events.1', 'events.2'])
    expect(fieldsOf(await createWebhookRaw(t, s, { url: 'https://hooks.example.com/', events: [] }))).toEqual(['events'])
  })

  it('needs WEBHOOKS_MANAGE: owners and admins have it, developers do not', async () => {
    const owner = await signUp(t)
    const dev = await addMember(t, owner, 'DEVELOPER')
    const admin = await addMember(t, owner, 'ADMIN')
    expect(codeOf(await createWebhookRaw(t, dev, { url: 'https://hooks.example.com/', events: ['*'] }))).toBe('FORBIDDEN')
    expect(codeOf(await t.gql('{ webhooks(first: 1) { totalCount } }', {}, dev.headers))).toBe('FORBIDDEN')
    await createWebhook(t, admin, { url: 'https://hooks.example.com/', events: ['*'] })
  })
})

describe('changing endpoints', () => {
  it('updates, rotates (both secrets sign for the grace period), disables with its pending deliveries dropped, and deletes, auditing each', async () => {
    const s = await signUp(t)
    const { webhook, secret } = await createWebhook(t, s, { url: 'https://hooks.example.com/a', events: ['tool.*'] })
    const changed = await update(s, { id: webhook.id, url: 'https://hooks.example.com/b', events: ['tool.create', 'agent.*'] })
    expect(changed.body.data!.updateWebhook.webhook).toMatchObject({ url: 'https://hooks.example.com/b', events: ['tool.create', 'agent.*'], enabled: true })
    expect(fieldsOf(await update(s, { id: webhook.id, url: 'https://192.168.1.1/' }))).toEqual(['url'])

    const rotated = await t.gql<{ rotateWebhookSecret: { secret: string; webhook: { previousSecretExpiresAt: string } } }>(
      'mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { secret webhook { previousSecretExpiresAt } } }', { input: { id: webhook.id } }, s.headers)
    expect(rotated.body.data!.rotateWebhookSecret.secret).toMatch(/^whsec_/)
    expect(rotated.body.data!.rotateWebhookSecret.secret).not.toBe(secret)
    expect(new Date(rotated.body.data!.rotateWebhookSecret.webhook.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 3_600_000)

    await createEchoTool(t, s, 'dropped-echo')
    expect((await deliveries(t, s, webhook.id)).map((d) => d.status)).toEqual(['PENDING'])
    expect((await update(s, { id: webhook.id, enabled: false })).body.data!.updateWebhook.webhook.enabled).toBe(false)
    const [dropped] = await deliveries(t, s, webhook.id)
    expect(dropped).toMatchObject({ status: 'DEAD', attempts: 0, lastError: expect.stringContaining('disabled') })
    const redeliver = await t.gql('mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id } } }', { input: { deliveryId: dropped!.id } }, s.headers)
    expect(codeOf(redeliver)).toBe('CONFLICT')
    await createEchoTool(t, s, 'ignored-echo')
    expect(await deliveries(t, s, webhook.id)).toHaveLength(1) // a disabled endpoint gets nothing new

    const del = await t.gql<{ deleteWebhook: { deletedId: string } }>('mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { deletedId } }', { input: { id: webhook.id } }, s.headers)
    expect(del.body.data!.deleteWebhook.deletedId).toBe(webhook.id)
    expect(codeOf(await t.gql('query($id: ID!) { webhook(id: $id) { id } }', { id: webhook.id }, s.headers))).toBe('NOT_FOUND')
    const actions = (await auditRows(t, s, { resourceType: 'Webhook' })).map((a) => a.action)
    expect(actions).toEqual(['webhook.create', 'webhook.update', 'webhook.rotate_secret', 'webhook.update', 'webhook.delete'])
  })

  it('enqueues only the types an endpoint subscribes to (exact, prefix.* and *)', async () => {
    const s = await signUp(t)
    const tools = await createWebhook(t, s, { url: 'https://hooks.example.com/t', events: ['tool.*'] })
    const agents = await createWebhook(t, s, { url: 'https://hooks.example.com/a', events: ['agent.create'] })
    const all = await createWebhook(t, s, { url: 'https://hooks.example.com/all', events: ['*'] })
    await createEchoTool(t, s, 'typed-echo')
    const [toolDelivery] = await deliveries(t, s, tools.webhook.id)
    expect(toolDelivery).toMatchObject({ type: 'tool.create', status: 'PENDING', attempts: 0 })
    expect(await deliveries(t, s, agents.webhook.id)).toEqual([])
    const [allDelivery] = await deliveries(t, s, all.webhook.id)
    expect(allDelivery!.eventId).toBe(toolDelivery!.eventId) // one event, one webhook-id, whichever endpoint
  })
})

describe('the outbox', () => {
  it('writes a delivery only when the change commits: a refused change invents no event', async () => {
    const s = await signUp(t)
    const { webhook } = await createWebhook(t, s, { url: 'https://hooks.example.com/o', events: ['tool.create'] })
    await createEchoTool(t, s, 'unique-echo')
    const again = await t.gql('mutation { createTool(input: { name: "unique-echo", description: "x", kind: BUILTIN, handler: "echo" }) { tool { id } } }', {}, s.headers)
    expect(codeOf(again)).toBe('CONFLICT')
    expect((await deliveries(t, s, webhook.id)).map((d) => d.type)).toEqual(['tool.create'])
  })
})

describe('tenant isolation', () => {
  it("tenant B never sees, changes or redelivers tenant A's endpoints and deliveries, and A's receives none of B's events", async () => {
    const a = await signUp(t)
    const b = await signUp(t)
    const { webhook } = await createWebhook(t, a, { url: 'https://hooks.example.com/a', events: ['*'] })
    await createEchoTool(t, a, 'a-echo')
    await createEchoTool(t, b, 'b-echo')
    const [delivery] = await deliveries(t, a, webhook.id)
    expect(await deliveries(t, a, webhook.id)).toHaveLength(1)

    const list = await t.gql<{ webhooks: { totalCount: number } }>('{ webhooks(first: 10) { totalCount } }', {}, b.headers)
    expect(list.body.data!.webhooks.totalCount).toBe(0)
    expect(codeOf(await t.gql('query($id: ID!) { webhook(id: $id) { id } }', { id: webhook.id }, b.headers))).toBe('NOT_FOUND')
    const nodes = await t.gql<{ w: unknown; d: unknown }>(`query($w: ID!, $d: ID!) { w: node(id: $w) { id } d: node(id: $d) { ... on WebhookDelivery { ${deliveryFields} } } }`, { w: webhook.id, d: delivery!.id }, b.headers)
    expect(nodes.body.data).toEqual({ w: null, d: null })
    expect(codeOf(await update(b, { id: webhook.id, enabled: false }))).toBe('NOT_FOUND')
    expect(codeOf(await t.gql('mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { deletedId } }', { input: { id: webhook.id } }, b.headers))).toBe('NOT_FOUND')
    expect(codeOf(await t.gql('mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { secret } }', { input: { id: webhook.id } }, b.headers))).toBe('NOT_FOUND')
    expect(codeOf(await t.gql('mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id } } }', { input: { deliveryId: delivery!.id } }, b.headers))).toBe('NOT_FOUND')
    const stillA = await deliveries(t, a, webhook.id)
    expect(stillA.map((d) => d.id)).toEqual([delivery!.id])
    expect(rawId(webhook.id)).toMatch(/^[0-9a-f-]{36}$/)
  })
})
