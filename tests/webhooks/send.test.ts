// One delivery attempt against real sockets on loopback: the SSRF policy after DNS resolution, no redirects, the
// timeout and the bounded read of the answer.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendWebhook } from '../../src/services/webhooks/send.ts'

const open = { allowPrivateNetworks: true, allowInsecureHttp: true }
const hits: string[] = []
let base: string
let port: number
const server = http.createServer((req, res) => {
  hits.push(req.url ?? '')
  if (req.url === '/redirect') return void res.writeHead(302, { location: '/target' }).end()
  if (req.url === '/hang') return
  if (req.url === '/huge') return void res.writeHead(500).end('x'.repeat(1_000_000))
  res.writeHead(204).end()
})
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('sendWebhook', () => {
  it('refuses a host that resolves to a private address, checked after DNS and without connecting', async () => {
    const before = hits.length
    const r = await sendWebhook(`http://hooks.example.test:${port}/ok`, {}, '{}', {
      policy: { allowPrivateNetworks: false, allowInsecureHttp: true }, timeoutMs: 2_000, resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    expect(r).toEqual({ ok: false, error: `The host hooks.example.test:${port} resolves to a private or reserved address, which webhooks may not call.` })
    expect(hits.length).toBe(before)
  })

  it('connects to the address it vetted (pinned), not to a second resolution', async () => {
    const r = await sendWebhook(`http://hooks.example.test:${port}/ok`, {}, '{}', { policy: open, timeoutMs: 2_000, resolve: async () => [{ address: '127.0.0.1', family: 4 }] })
    expect(r).toEqual({ ok: true, statusCode: 204 })
  })

  it('refuses plain http and literal private addresses under the default policy', async () => {
    const strict = { allowPrivateNetworks: false, allowInsecureHttp: false }
    expect((await sendWebhook(`${base}/ok`, {}, '{}', { policy: strict, timeoutMs: 1_000 })).error).toContain('https')
    expect((await sendWebhook('https://169.254.169.254/', {}, '{}', { policy: strict, timeoutMs: 1_000 })).error).toContain('blocked address')
  })

  it('does not follow redirects', async () => {
    const r = await sendWebhook(`${base}/redirect`, {}, '{}', { policy: open, timeoutMs: 2_000 })
    expect(r).toEqual({ ok: false, statusCode: 302, error: 'HTTP 302: redirects are not followed.' })
    expect(hits).not.toContain('/target')
  })

  it('gives up after the timeout', async () => {
    const started = Date.now()
    const r = await sendWebhook(`${base}/hang`, {}, '{}', { policy: open, timeoutMs: 300 })
    expect(r).toEqual({ ok: false, error: 'No answer within 300 ms.' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('reads at most a kilobyte of an answer', async () => {
    const r = await sendWebhook(`${base}/huge`, {}, '{}', { policy: open, timeoutMs: 5_000 })
    expect(r.statusCode).toBe(500)
    expect(r.error!.length).toBeLessThan(1_100)
  })

  it('names a refused connection without the address', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const p = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const r = await sendWebhook(`http://hooks.example.test:${p}/`, {}, '{}', { policy: open, timeoutMs: 2_000, resolve: async () => [{ address: '127.0.0.1', family: 4 }] })
    expect(r).toEqual({ ok: false, error: `The endpoint at hooks.example.test:${p} refused the connection.` })
  })
})
