// The fetch the MCP SDK's Streamable HTTP client uses for tenant servers. A tenant's MCP URL points wherever they
// like, so it gets the HTTP tools' SSRF boundary: node:http(s) with the pinned lookup (the socket connects only to a
// vetted address), no redirects, no connection pooling, and a byte cap on every response body.
import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import type { HttpToolPolicy } from './address-policy.ts'
import { ToolCallError } from './errors.ts'
import { pinnedLookup, type Resolver } from './pinned-lookup.ts'

export interface GuardedFetchOptions {
  policy: HttpToolPolicy
  maxResponseBytes: number
  resolve?: Resolver
}

/** A WHATWG-style fetch over node:http(s) that enforces the address policy and the response size cap. */
export function guardedFetch(opts: GuardedFetchOptions) {
  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && opts.policy.allowInsecureHttp)) {
      throw new ToolCallError('BLOCKED_TARGET', 'The MCP server URL must be https.')
    }
    const headers = Object.fromEntries(new Headers(init.headers).entries())
    const body = init.body == null ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(await new Response(init.body).arrayBuffer())
    return new Promise<Response>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? 'GET',
        headers: { ...headers, ...(body && { 'content-length': String(body.length) }), 'accept-encoding': 'identity' },
        agent: false,
        lookup: pinnedLookup(opts.policy, opts.resolve),
        signal: init.signal ?? undefined,
      })
      req.on('error', (e) => reject(e instanceof ToolCallError ? e : new ToolCallError('NETWORK', `The connection to the MCP server at ${url.host} failed.`, true)))
      req.on('response', (res) => {
        const status = res.statusCode ?? 0
        if (status >= 300 && status < 400) {
          res.destroy()
          return reject(new ToolCallError('HTTP_STATUS', `The MCP server at ${url.host} answered with a redirect (HTTP ${status}); redirects are not followed.`))
        }
        const responseHeaders = new Headers()
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v)
        let seen = 0
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length
          if (seen > opts.maxResponseBytes) res.destroy(new ToolCallError('TOO_LARGE', `The answer of the MCP server at ${url.host} is larger than ${opts.maxResponseBytes} bytes.`))
        })
        const bodyless = status === 204 || status === 304 || init.method === 'HEAD'
        resolve(new Response(bodyless ? null : (Readable.toWeb(res) as ReadableStream), { status, headers: responseHeaders }))
      })
      req.end(body)
    })
  }
}
