// HTTP hardening: security headers on every response, CORS from configuration, CSRF prevention (yoga's plugin) and
// refusal of the "simple" content types a cross-site form can send.
import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { GraphQLError } from 'graphql'
import type { CORSOptions, Plugin } from 'graphql-yoga'
import type { Config } from '../config.ts'

/**
 * GraphiQL (development only) is one bundled page: inline script and styles, editor workers from blob: URLs.
 * No external origin: it must render on a network without internet.
 */
const graphiqlCsp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/** True when the client reached us over TLS: our own socket, or `X-Forwarded-Proto` from a trusted proxy. */
export function cameOverTls(headers: { get(name: string): string | null }, socket: IncomingMessage['socket'] | undefined, trustedHops: number): boolean {
  if ((socket as TLSSocket | undefined)?.encrypted) return true
  if (!trustedHops) return false
  // Same position rule as X-Forwarded-For (src/yoga.ts clientIp): the entry our nearest trusted proxy vouches for.
  const chain = (headers.get('x-forwarded-proto') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
  return (chain[chain.length - trustedHops] ?? chain[0]) === 'https'
}

/** The security headers for one response. */
export function securityHeaders(opts: { html: boolean; tls: boolean; hstsMaxAge: number }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': opts.html ? graphiqlCsp : apiCsp,
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(opts.tls && opts.hstsMaxAge > 0 && { 'Strict-Transport-Security': `max-age=${opts.hstsMaxAge}; includeSubDomains` }),
  }
}

/** Adds the security headers to every yoga response and drops any X-Powered-By. */
export function securityHeadersPlugin(config: Pick<Config, 'trustProxyHops' | 'http'>): Plugin {
  return {
    onResponse({ request, response, serverContext }) {
      const html = (response.headers.get('content-type') ?? '').startsWith('text/html')
      const tls = cameOverTls(request.headers, (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket, config.trustProxyHops)
      for (const [k, v] of Object.entries(securityHeaders({ html, tls, hstsMaxAge: config.http.hstsMaxAge }))) response.headers.set(k, v)
      response.headers.delete('X-Powered-By')
    },
  }
}

/** Response headers browsers may read cross-origin. */
const exposedHeaders = ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']

/**
 * CORS for yoga: only origins in CORS_ORIGINS get CORS headers (none configured: no cross-origin access). `*`
 * allows any origin without credentials; a wildcard is never combined with credentials. Credentials are bearer
 * headers, not cookies, so even listed origins need no `Access-Control-Allow-Credentials` to call the API; it is
 * sent for listed origins only, for clients that set `credentials: 'include'`.
 */
export function corsOptions(config: Pick<Config, 'http'>): (request: Request) => CORSOptions {
  const { corsOrigins } = config.http
  const any = corsOrigins.includes('*')
  const listed = new Set(corsOrigins.filter((o) => o !== '*'))
  return (request) => {
    const origin = request.headers.get('origin')
    if (!origin) return false
    const isListed = listed.has(origin)
    if (!isListed && !any) return false
    return {
      origin: [origin],
      credentials: isListed,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-Request-ID', 'X-GraphQL-Yoga-CSRF', 'Apollo-Require-Preflight'],
      exposedHeaders,
      maxAge: 600,
    }
  }
}

/** Content types a cross-site HTML form (or a "simple" fetch) can send without a CORS preflight. */
const simpleContentTypes = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']

/**
 * CSRF prevention with yoga's plugin: a request that a browser would send cross-site without a preflight (a GET,
 * or a POST of a simple content type) must carry a header no cross-site form can set. `Authorization` and
 * `X-API-Key` qualify: they force a preflight, and they are the only way to send credentials here. On top of that,
 * form-encoded, multipart and text/plain POSTs are refused outright (415): the API speaks JSON.
 */
export function csrfPlugin(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'authorization', 'x-api-key'] })
  return {
    onRequestParse(payload) {
      const { request } = payload
      const type = (request.headers.get('content-type') ?? '').toLowerCase()
      if (request.method === 'POST' && simpleContentTypes.some((t) => type.startsWith(t))) {
        throw new GraphQLError('Unsupported content type: send application/json.', {
          extensions: { code: 'VALIDATION_FAILED', fields: [], http: { status: 415 } },
        })
      }
      try {
        return csrf.onRequestParse?.(payload)
      } catch {
        throw new GraphQLError('Cross-site request refused: send the X-GraphQL-Yoga-CSRF header (any value), or credentials, with GET requests.', {
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        })
      }
    },
  }
}
