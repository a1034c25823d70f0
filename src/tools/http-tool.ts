// HTTP tools: the tenant registers a URL; the worker POSTs `{ "arguments": … }` as JSON and takes the JSON answer as
// the result. The URL is tenant input pointing wherever they like, so this is the SSRF boundary: the host is resolved
// here and the socket connects only to an address that passed the policy (the `lookup` hook vets the very answer
// the connection uses, so a DNS rebind between check and connect cannot switch the target).
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import type { FieldProblem } from '../errors.ts'
import { blockedAddressReason, type HttpToolPolicy } from './address-policy.ts'
import { abortedError, ToolCallError } from './errors.ts'
import { pinnedLookup, type Resolver } from './pinned-lookup.ts'
import { readJsonResponse } from './http-response.ts'
import type { HttpHeader } from './http-headers.ts'

export type { HttpToolPolicy } from './address-policy.ts'
export type { Resolver } from './pinned-lookup.ts'

export const MAX_URL_LENGTH = 2048
const USER_AGENT = 'agent-platform-tools/1'

export interface HttpCallOptions {
  policy: HttpToolPolicy
  /** The run's signal: aborting it cancels the call (ABORTED). */
  signal: AbortSignal
  /** Budget for the whole call: DNS, connect, TLS, waiting and reading the body. */
  timeoutMs: number
  /** Budget for DNS + TCP (+ TLS) alone; defaults to min(timeoutMs, 5000). */
  connectTimeoutMs?: number
  maxResponseBytes: number
  /** The tool's own headers (already validated at registration); the transport's own headers win over them. */
  headers?: HttpHeader[]
  /** DNS resolution, injectable for tests; defaults to the system resolver (dns.lookup). */
  resolve?: Resolver
}

type Inspected = { ok: true; url: URL } | { ok: false; message: string; blocked: boolean }

function inspectUrl(raw: unknown, policy: HttpToolPolicy): Inspected {
  const fail = (message: string, blocked = false): Inspected => ({ ok: false, message, blocked })
  if (typeof raw !== 'string' || raw === '') return fail('is required')
  if (raw.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH} characters`)
  // The URL parser silently drops tabs and newlines and trims spaces: refuse them so what is stored is what is called.
  if (/\s|[^\x20-\x7e\u00a0-\uffff]/.test(raw)) return fail('must not contain whitespace or control characters')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return fail('must be an absolute URL')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowInsecureHttp)) {
    return fail(policy.allowInsecureHttp ? 'must be an http or https URL' : 'must be an https URL', true)
  }
  if (url.username || url.password) return fail('must not contain credentials')
  if (!url.hostname) return fail('must have a host')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  // Literal addresses never reach the lookup hook (Node connects to them directly), so they are judged here.
  const reason = isIP(host) ? blockedAddressReason(host, policy) : null
  if (reason) return fail(`must not point to a blocked address (${reason})`, true)
  // RFC 6761: *.localhost is loopback whatever DNS says; refusing it here gives the tenant feedback at registration.
  if (/(^|\.)localhost\.?$/i.test(host) && !policy.allowPrivateNetworks) return fail('must not point to localhost', true)
  return { ok: true, url }
}

/** Checks an HTTP tool URL at registration: scheme, credentials, length, and literal or localhost targets. */
export function validateToolUrl(url: unknown, policy: HttpToolPolicy, path = 'url'): FieldProblem[] {
  const inspected = inspectUrl(url, policy)
  return inspected.ok ? [] : [{ path, message: inspected.message }]
}

/** POSTs `{ arguments }` to an HTTP tool and returns its parsed JSON answer; throws ToolCallError on any failure. */
export async function callHttpTool(rawUrl: unknown, args: unknown, opts: HttpCallOptions): Promise<unknown> {
  const inspected = inspectUrl(rawUrl, opts.policy)
  if (!inspected.ok) {
    throw new ToolCallError(inspected.blocked ? 'BLOCKED_TARGET' : 'INVALID_TOOL', `The tool URL ${inspected.message}.`)
  }
  if (opts.signal.aborted) throw abortedError()
  const { url } = inspected
  const host = url.host
  let body: Buffer
  try {
    body = Buffer.from(JSON.stringify({ arguments: args }))
  } catch {
    throw new ToolCallError('INVALID_ARGUMENTS', 'The arguments are not representable as JSON.')
  }
  const connectTimeoutMs = Math.min(opts.connectTimeoutMs ?? 5000, opts.timeoutMs)

  return new Promise<unknown>((resolve, reject) => {
    let settled = false
    const settle = (error: ToolCallError | null, value?: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(totalTimer)
      clearTimeout(connectTimer)
      opts.signal.removeEventListener('abort', onAbort)
      if (error) {
        req.destroy()
        reject(error)
      } else resolve(value)
    }
    const onAbort = () => settle(abortedError())
    const timeout = (what: string) => () =>
      settle(new ToolCallError('TIMEOUT', `The tool at ${host} did not ${what} within ${what === 'connect' ? connectTimeoutMs : opts.timeoutMs} ms.`, true))
    // Timers and listeners only ever fire asynchronously, after `req` below exists.
    const totalTimer = setTimeout(timeout('answer'), opts.timeoutMs)
    const connectTimer = setTimeout(timeout('connect'), connectTimeoutMs)

    const req = (url.protocol === 'https:' ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { ...Object.fromEntries((opts.headers ?? []).map((h) => [h.name, h.value])), 'content-type': 'application/json', accept: 'application/json', 'user-agent': USER_AGENT, 'content-length': body.length },
      // A private agent per call: a pooled keep-alive socket (opened by other code) would skip the lookup hook.
      agent: false,
      lookup: pinnedLookup(opts.policy, opts.resolve),
    })
    opts.signal.addEventListener('abort', onAbort, { once: true })

    req.on('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer))
    })
    req.on('response', (res) => {
      readJsonResponse(res, host, opts.maxResponseBytes).then((value) => settle(null, value), (e: ToolCallError) => settle(e))
    })
    req.on('error', (e) => settle(networkError(e, host)))
    req.end(body)
  })
}

// Node's own messages name the resolved IP and port ("connect ECONNREFUSED 10.0.0.7:443"): never pass them on.
function networkError(e: Error & { code?: string }, host: string): ToolCallError {
  if (e instanceof ToolCallError) return e // from the lookup hook
  const code = e.code ?? ''
  if (code === 'ENOTFOUND' || code === 'ENODATA') return new ToolCallError('NETWORK', `The tool host ${host} could not be resolved.`)
  if (code === 'EAI_AGAIN') return new ToolCallError('NETWORK', `Resolving the tool host ${host} failed temporarily.`, true)
  if (code === 'ECONNREFUSED') return new ToolCallError('NETWORK', `The tool at ${host} refused the connection.`, true)
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_TLS_CERT)/.test(code) || /SSL|TLS/i.test(e.message)) {
    return new ToolCallError('NETWORK', `The TLS connection to ${host} failed (certificate or handshake).`)
  }
  if (code.startsWith('HPE_')) return new ToolCallError('BAD_RESPONSE', `The tool at ${host} sent a malformed HTTP response.`)
  return new ToolCallError('NETWORK', `The connection to the tool at ${host} failed.`, true)
}
