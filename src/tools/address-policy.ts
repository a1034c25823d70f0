// Which IP addresses an HTTP tool may connect to (SSRF policy). Deny by range, from the IANA special-purpose registries
// plus the cloud metadata endpoints; IPv6 outside global unicast (2000::/3) is refused wholesale. Callers hand in
// canonical addresses: WHATWG URL parsing already turns `2130706433`, `0x7f.1` or `0177.0.0.1` into `127.0.0.1`, and
// DNS answers are canonical; anything that is not a valid IP by `net.isIP` is refused.
import { isIP, isIPv4 } from 'node:net'

export interface HttpToolPolicy {
  /** Allow `http:` URLs (development and tests). */
  allowInsecureHttp: boolean
  /** Allow loopback, RFC 1918, CGNAT and IPv6 ULA targets (development, tests, private deployments). */
  allowPrivateNetworks: boolean
}

// `private: true` ranges are the ones allowPrivateNetworks opens; the others stay closed whatever the policy
// (metadata endpoints, link-local, reserved, multicast, documentation, IPv4 embedded in IPv6 that we cannot vet).
type Range = { cidr: string; label: string; private?: boolean }
const V4_RANGES: Range[] = [
  { cidr: '100.100.100.200/32', label: 'cloud metadata' }, // Alibaba Cloud, inside CGNAT
  { cidr: '0.0.0.0/8', label: 'unspecified' },
  { cidr: '10.0.0.0/8', label: 'private network', private: true },
  { cidr: '100.64.0.0/10', label: 'shared address space (CGNAT)', private: true },
  { cidr: '127.0.0.0/8', label: 'loopback', private: true },
  { cidr: '169.254.0.0/16', label: 'link-local (including cloud metadata)' },
  { cidr: '172.16.0.0/12', label: 'private network', private: true },
  { cidr: '192.0.0.0/24', label: 'reserved (IETF protocol assignments)' },
  { cidr: '192.0.2.0/24', label: 'documentation' },
  { cidr: '192.88.99.0/24', label: 'reserved (6to4 relay)' },
  { cidr: '192.168.0.0/16', label: 'private network', private: true },
  { cidr: '198.18.0.0/15', label: 'reserved (benchmarking)' },
  { cidr: '198.51.100.0/24', label: 'documentation' },
  { cidr: '203.0.113.0/24', label: 'documentation' },
  { cidr: '224.0.0.0/4', label: 'multicast' },
  { cidr: '255.255.255.255/32', label: 'broadcast' },
  { cidr: '240.0.0.0/4', label: 'reserved' },
]
const V6_RANGES: Range[] = [
  { cidr: '::/128', label: 'unspecified' },
  { cidr: '::1/128', label: 'loopback', private: true },
  { cidr: '::ffff:0:0/96', label: 'IPv4-mapped IPv6' },
  { cidr: '::/96', label: 'IPv4-compatible IPv6' },
  { cidr: 'fd00:ec2::254/128', label: 'cloud metadata' }, // AWS IMDS over IPv6, inside ULA
  { cidr: 'fc00::/7', label: 'unique local (private network)', private: true },
  { cidr: 'fe80::/10', label: 'link-local' },
  { cidr: 'ff00::/8', label: 'multicast' },
  { cidr: '64:ff9b:1::/48', label: 'local-use NAT64', private: true },
  { cidr: '2001:db8::/32', label: 'documentation' },
  { cidr: '3fff::/20', label: 'documentation' },
  { cidr: '2001::/23', label: 'reserved (IETF protocol assignments, Teredo)' },
  { cidr: '2002::/16', label: '6to4' },
]
const NAT64 = '64:ff9b::/96' // the well-known prefix: judged by the IPv4 address it embeds
const GLOBAL_UNICAST = '2000::/3'

/** Why `address` may not be a tool target under `policy` (a short label such as "loopback"), or null if it may. */
export function blockedAddressReason(address: string, policy: HttpToolPolicy): string | null {
  const version = isIP(address)
  if (version === 0) return 'not an IP address'
  if (version === 4) return rangeReason(toBigInt(address), 32, V4_RANGES, policy) ?? null
  const value = toBigInt(address.replace(/%.*$/, '')) // a zone id (fe80::1%eth0) says nothing about the range
  if (inCidr(value, 128, NAT64)) {
    const reason = rangeReason(value & 0xffffffffn, 32, V4_RANGES, policy)
    return reason ? `NAT64 of ${reason}` : null
  }
  const reason = rangeReason(value, 128, V6_RANGES, policy)
  if (reason !== undefined) return reason
  return inCidr(value, 128, GLOBAL_UNICAST) ? null : 'reserved'
}

// The label of the first listed range containing `value`: null when that range is open under the policy,
// undefined when no listed range contains it.
function rangeReason(value: bigint, bits: number, ranges: Range[], policy: HttpToolPolicy): string | null | undefined {
  const range = ranges.find((r) => inCidr(value, bits, r.cidr))
  if (!range) return undefined
  return range.private && policy.allowPrivateNetworks ? null : range.label
}

function inCidr(value: bigint, bits: number, cidr: string): boolean {
  const [base, len] = cidr.split('/') as [string, string]
  const shift = BigInt(bits - Number(len))
  return value >> shift === toBigInt(base) >> shift
}

// Address → integer (32 or 128 bits). IPv6 may use `::` and a dotted IPv4 tail; input is valid per net.isIP.
function toBigInt(address: string): bigint {
  if (isIPv4(address)) return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n)
  let text = address
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (tail) {
    const v4 = Number(toBigInt(tail[1]!))
    text = `${text.slice(0, tail.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined]
  const words = (s: string) => (s === '' ? [] : s.split(':'))
  const left = words(head)
  const right = rest === undefined ? [] : words(rest)
  const all = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  return all.reduce((acc, word) => (acc << 16n) | BigInt(parseInt(word, 16)), 0n)
}
