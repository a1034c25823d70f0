// callHttpTool against real local servers: blocked targets never connect; with the development switches on, the
// request/response contract and every failure mode (redirect, timeout, size, content type, status).
import dns from 'node:dns'
import net, { type AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { callHttpTool, type HttpCallOptions } from '../../src/tools/http-tool.ts'
import { pinnedLookup } from '../../src/tools/pinned-lookup.ts'
import { json, startToolServer } from './tool-server.ts'

const defaults = { allowInsecureHttp: true, allowPrivateNetworks: false } // http on, private ranges closed
const dev = { allowInsecureHttp: true, allowPrivateNetworks: true }

const opts = (overrides: Partial<HttpCallOptions> = {}): HttpCallOptions => ({
  policy: dev, signal: new AbortController().signal, timeoutMs: 2000, maxResponseBytes: 64 * 1024, ...overrides,
})
const failure = (p: Promise<unknown>) => p.then(
  (value) => { throw new Error(`expected a failure, got ${JSON.stringify(value)}`) },
  (e: unknown) => e as { code: string; message: string; retryable: boolean },
)

describe('callHttpTool: blocked targets', () => {
  it.each([
    ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`],
    ['localhost', (port: number) => `http://localhost:${port}/`],
    ['decimal', (port: number) => `http://2130706433:${port}/`],
    ['hex', (port: number) => `http://0x7f.1:${port}/`],
    ['IPv4-mapped IPv6', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
  ])('refuses %s without connecting', async (_name, url) => {
    const server = await startToolServer((_req, res) => json(res, 200, { reached: true }))
    const e = await failure(callHttpTool(url(server.port), { a: 1 }, opts({ policy: defaults })))
    expect(e).toMatchObject({ code: 'BLOCKED_TARGET', retryable: false })
    expect(server.connections()).toBe(0)
  })

  it('refuses a host name whose DNS answer is blocked, without connecting', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, { reached: true }))
    const lookups: string[] = []
    const resolve = async (host: string) => (lookups.push(host), [{ address: '127.0.0.1', family: 4 }])
    const e = await failure(callHttpTool(`http://tool.example.test:${server.port}/`, {}, opts({ policy: defaults, resolve })))
    expect(e).toMatchObject({ code: 'BLOCKED_TARGET' })
    expect(e.message).toContain('tool.example.test')
    expect(e.message).not.toContain('127.0.0.1') // the tenant learns nothing about addresses
    expect(lookups).toEqual(['tool.example.test'])
    expect(server.connections()).toBe(0)
  })

  it('refuses a name when any of its addresses is blocked', async () => {
    const resolve = async () => [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }]
    const e = await failure(callHttpTool('https://mixed.example.test/', {}, opts({ policy: defaults, resolve })))
    expect(e.code).toBe('BLOCKED_TARGET')
  })

  it('vets what the system resolver says about localhost (the lookup hook itself)', async () => {
    const lookup = pinnedLookup(defaults)
    const err = await new Promise<unknown>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)))
    expect(err).toMatchObject({ code: 'BLOCKED_TARGET' })
    const found = await new Promise<unknown>((resolve) => pinnedLookup(dev)('localhost', { all: true }, (_e, a) => resolve(a)))
    const expected = await dns.promises.lookup('localhost', { all: true, verbatim: true })
    expect(found).toEqual(expected)
  })

  it('connects to the address it vetted (pinned; the name still goes in Host)', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, { ok: true }))
    let lookups = 0
    const resolve = async () => (lookups++, [{ address: '127.0.0.1', family: 4 }])
    const result = await callHttpTool(`http://rebind.example.test:${server.port}/x`, {}, opts({ resolve }))
    expect(result).toEqual({ ok: true })
    expect(lookups).toBe(1)
    expect(server.requests[0]!.headers.host).toBe(`rebind.example.test:${server.port}`)
  })

  it('refuses http unless allowInsecureHttp, before any connection', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, {}))
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts({ policy: { ...dev, allowInsecureHttp: false } })))
    expect(e.code).toBe('BLOCKED_TARGET')
    expect(server.connections()).toBe(0)
  })
})

describe('callHttpTool: with allowPrivateNetworks and allowInsecureHttp', () => {
  it('POSTs { arguments } as JSON with minimal headers and returns the JSON answer', async () => {
    const server = await startToolServer((_req, res, body) => json(res, 200, { echoed: body }))
    const result = await callHttpTool(`http://127.0.0.1:${server.port}/run?v=1`, { city: 'Paris', n: [1, 2] }, opts())
    expect(result).toEqual({ echoed: { arguments: { city: 'Paris', n: [1, 2] } } })
    const [req] = server.requests
    expect(req).toMatchObject({ method: 'POST', url: '/run?v=1' })
    expect(Object.keys(req!.headers).sort()).toEqual(['accept', 'connection', 'content-length', 'content-type', 'host', 'user-agent'])
    expect(req!.headers['content-type']).toBe('application/json')
  })

  it('accepts +json content types with parameters', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, [1], { 'content-type': 'application/vnd.api+json; charset=utf-8' }))
    await expect(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts())).resolves.toEqual([1])
  })

  it('does not follow redirects', async () => {
    const target = await startToolServer((_req, res) => json(res, 200, { followed: true }))
    const server = await startToolServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` })
      res.end()
    })
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts()))
    expect(e).toMatchObject({ code: 'HTTP_STATUS', retryable: false, message: expect.stringMatching(/redirect \(HTTP 302\)/) })
    expect(target.connections()).toBe(0)
  })

  it('times out a server that never answers, within the budget', async () => {
    const server = await startToolServer(() => {}) // reads the request, never responds
    const started = Date.now()
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts({ timeoutMs: 300 })))
    expect(e).toMatchObject({ code: 'TIMEOUT', retryable: true })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('has a separate, shorter budget for DNS and connect', async () => {
    const resolve = () => new Promise<never>(() => {}) // a resolver that never answers
    const started = Date.now()
    const e = await failure(callHttpTool('https://slow-dns.example.test/', {}, opts({ resolve, connectTimeoutMs: 150, timeoutMs: 5000 })))
    expect(e).toMatchObject({ code: 'TIMEOUT', retryable: true, message: 'The tool at slow-dns.example.test did not connect within 150 ms.' })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('times out a body that trickles', async () => {
    const server = await startToolServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('[')
      const t = setInterval(() => res.write('1,'), 50)
      res.on('close', () => clearInterval(t))
    })
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts({ timeoutMs: 400 })))
    expect(e.code).toBe('TIMEOUT')
  })

  it('refuses an oversized body, declared or streamed', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(10_000) })
    const declared = await startToolServer((_req, res) => json(res, 200, { data: 'x'.repeat(10_000) }))
    const streamed = await startToolServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }) // chunked: no content-length
      for (let i = 0; i < big.length; i += 1000) res.write(big.slice(i, i + 1000))
      res.end()
    })
    for (const server of [declared, streamed]) {
      const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts({ maxResponseBytes: 4096 })))
      expect(e).toMatchObject({ code: 'TOO_LARGE', retryable: false })
    }
    await expect(callHttpTool(`http://127.0.0.1:${declared.port}/`, {}, opts({ maxResponseBytes: 20_000 }))).resolves.toBeTruthy()
  })

  it.each([
    ['text/html', '<html>hi</html>', /not JSON/],
    ['application/json', '{"unterminated": ', /not valid JSON/],
    ['', 'plain', /not JSON/],
  ])('refuses a %s answer as BAD_RESPONSE', async (type, body, message) => {
    const server = await startToolServer((_req, res) => {
      res.writeHead(200, type ? { 'content-type': type } : {})
      res.end(body)
    })
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts()))
    expect(e).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(message) })
  })

  it('refuses a compressed answer', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, {}, { 'content-encoding': 'gzip' }))
    expect((await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts()))).code).toBe('BAD_RESPONSE')
  })

  it.each([[500, true], [503, true], [429, true], [404, false], [400, false]])('reports HTTP %d as HTTP_STATUS (retryable: %s)', async (status, retryable) => {
    const server = await startToolServer((_req, res) => json(res, status, { error: 'internal detail' }))
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts()))
    expect(e).toMatchObject({ code: 'HTTP_STATUS', retryable, message: `The tool at 127.0.0.1:${server.port} answered HTTP ${status}.` })
  })

  it('reports a refused connection as a retryable NETWORK error without Node internals', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo
        s.close(() => resolve(port))
      })
    })
    const e = await failure(callHttpTool(`http://127.0.0.1:${free}/`, {}, opts()))
    expect(e).toEqual(expect.objectContaining({ code: 'NETWORK', retryable: true, message: `The tool at 127.0.0.1:${free} refused the connection.` }))
  })

  it('fails TLS to a plain-HTTP server as NETWORK', async () => {
    const server = await startToolServer((_req, res) => json(res, 200, {}))
    const e = await failure(callHttpTool(`https://127.0.0.1:${server.port}/`, {}, opts()))
    expect(e).toMatchObject({ code: 'NETWORK', retryable: false })
    expect(e.message).not.toMatch(/ERR_|EPROTO|ssl3/i)
  })

  it('stops when the signal aborts', async () => {
    const server = await startToolServer(() => {})
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = Date.now()
    const e = await failure(callHttpTool(`http://127.0.0.1:${server.port}/`, {}, opts({ signal: controller.signal, timeoutMs: 5000 })))
    expect(e.code).toBe('ABORTED')
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
