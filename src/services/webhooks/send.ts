// One POST to a webhook endpoint under the SSRF policy HTTP tools use: the URL is checked again (the policy may have
// changed since registration), the host is resolved once and the socket connects only to vetted addresses (no DNS
// rebinding), redirects are not followed, and at most a kilobyte of the answer is read.
import http from 'node:http'
import https from 'node:https'
import type { HttpToolPolicy } from '../../tools/address-policy.ts'
import { validateToolUrl } from '../../tools/http-tool.ts'
import { pinnedLookup, type Resolver } from '../../tools/pinned-lookup.ts'

const USER_AGENT = 'agent-platform-webhooks/1'
const MAX_READ_BYTES = 1024

export interface SendOptions {
  policy: HttpToolPolicy
  timeoutMs: number
  /** DNS resolution, injectable for tests. */
  resolve?: Resolver
}

/** What an attempt came to: a 2xx is `ok`; anything else names the status or the failure (never an address). */
export interface SendResult {
  ok: boolean
  statusCode?: number
  error?: string
}

/** POSTs `body` with `headers` to `url`; never throws. */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<SendResult> {
  const problems = validateToolUrl(url, opts.policy)
  if (problems.length) return Promise.resolve({ ok: false, error: `The URL ${problems[0]!.message}.` })
  const target = new URL(url)
  const payload = Buffer.from(body)
  return new Promise<SendResult>((resolve) => {
    let settled = false
    const settle = (r: SendResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(r)
    }
    const timer = setTimeout(() => settle({ ok: false, error: `No answer within ${opts.timeoutMs} ms.` }), opts.timeoutMs)
    const req = (target.protocol === 'https:' ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': USER_AGENT, 'content-length': payload.length },
      // A private agent per attempt: a pooled socket would skip the lookup hook.
      agent: false,
      lookup: pinnedLookup(opts.policy, opts.resolve),
    })
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      if (status >= 200 && status < 300) return settle({ ok: true, statusCode: status })
      if (status >= 300 && status < 400) return settle({ ok: false, statusCode: status, error: `HTTP ${status}: redirects are not followed.` })
      let excerpt = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        excerpt += chunk
        if (excerpt.length >= MAX_READ_BYTES) finish()
      })
      const finish = () => settle({ ok: false, statusCode: status, error: `HTTP ${status}${excerpt ? `: ${excerpt.slice(0, MAX_READ_BYTES).trim()}` : ''}` })
      res.on('end', finish)
      res.on('error', finish)
    })
    req.on('error', (e: Error & { code?: string }) => settle({ ok: false, error: networkMessage(e, target.host) }))
    req.end(payload)
  })
}

// Node's own messages name the resolved address ("connect ECONNREFUSED 10.0.0.7:443"): never store them.
function networkMessage(e: Error & { code?: string }, host: string): string {
  const code = e.code ?? ''
  if (code === 'BLOCKED_TARGET') return `The host ${host} resolves to a private or reserved address, which webhooks may not call.`
  if (code === 'ENOTFOUND' || code === 'ENODATA') return `The host ${host} could not be resolved.`
  if (code === 'EAI_AGAIN') return `Resolving the host ${host} failed temporarily.`
  if (code === 'ECONNREFUSED') return `The endpoint at ${host} refused the connection.`
  if (code === 'ECONNRESET') return `The endpoint at ${host} closed the connection.`
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code) || /SSL|TLS/i.test(e.message)) return `The TLS connection to ${host} failed (certificate or handshake).`
  return `The connection to ${host} failed.`
}
