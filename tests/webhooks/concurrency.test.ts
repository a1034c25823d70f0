// WEBHOOK_CONCURRENCY_PER_ENDPOINT holds however many deliveries are due: a slow endpoint is never sent more than
// that many requests at once, while another endpoint is served meanwhile.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { signUp } from '../helpers/tenants.ts'
import { createEchoTool, createWebhook, deliveries, eventually, webhookEnv } from './support.ts'

let t: TestApp
let base: string
const open = new Map<string, number>()
const peak = new Map<string, number>()
const server = http.createServer((req, res) => {
  const path = req.url ?? ''
  open.set(path, (open.get(path) ?? 0) + 1)
  peak.set(path, Math.max(peak.get(path) ?? 0, open.get(path)!))
  req.resume()
  setTimeout(() => {
    open.set(path, open.get(path)! - 1)
    res.writeHead(204).end()
  }, path === '/slow' ? 300 : 0)
})

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t = await startApp({ ...(await isolatedDatabaseEnv()), ...webhookEnv, WEBHOOK_CONCURRENCY_PER_ENDPOINT: '2', WEBHOOK_DELIVERY_SLOTS: '8' })
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('per-endpoint concurrency', () => {
  it('sends at most WEBHOOK_CONCURRENCY_PER_ENDPOINT requests at once to one endpoint', async () => {
    const s = await signUp(t)
    const slow = await createWebhook(t, s, { url: `${base}/slow`, events: ['tool.create'] })
    const fast = await createWebhook(t, s, { url: `${base}/fast`, events: ['tool.create'] })
    await Promise.all(Array.from({ length: 6 }, (_, i) => createEchoTool(t, s, `burst-${i}`)))
    await eventually(async () => {
      expect((await deliveries(t, s, slow.webhook.id, 'SUCCEEDED')).length).toBe(6)
      expect((await deliveries(t, s, fast.webhook.id, 'SUCCEEDED')).length).toBe(6)
    }, 30_000)
    expect(peak.get('/slow')).toBe(2)
  })
})
