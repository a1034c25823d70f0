// The `lookup` hook given to node:http(s) for HTTP tools: resolve once, vet every address, hand the connection only
// vetted addresses. Because the socket connects to exactly what this returns, there is no second resolution an
// attacker's DNS could answer differently (DNS rebinding).
import dns from 'node:dns'
import type { LookupFunction } from 'node:net'
import { blockedAddressReason, type HttpToolPolicy } from './address-policy.ts'
import { ToolCallError } from './errors.ts'

/** Resolves a host name to all its addresses (dns.lookup semantics: hosts file, then DNS). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true })

/** A `lookup` for http.request that fails with BLOCKED_TARGET when any address of the host is not allowed. */
export function pinnedLookup(policy: HttpToolPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        if (found.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' })
        // All or nothing: a name that mixes public and internal addresses is refused rather than filtered, since
        // which one gets used is not ours to predict. The message names the host, never the addresses.
        if (found.some((a) => blockedAddressReason(a.address, policy) !== null)) {
          throw new ToolCallError('BLOCKED_TARGET', `The tool host ${hostname} resolves to a private or reserved address, which tools may not call.`)
        }
        const usable = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found
        if (usable.length === 0) throw Object.assign(new Error('no addresses of the requested family'), { code: 'ENOTFOUND' })
        if (options.all) callback(null, usable)
        else callback(null, usable[0]!.address, usable[0]!.family)
      },
    ).catch((e: NodeJS.ErrnoException) => callback(e, ''))
  }
}
