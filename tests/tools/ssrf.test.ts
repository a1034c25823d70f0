// SSRF policy without a network: URL validation at registration and the address ranges.
import { describe, expect, it } from 'vitest'
import { blockedAddressReason } from '../../src/tools/address-policy.ts'
import { validateToolUrl } from '../../src/tools/http-tool.ts'

const strict = { allowInsecureHttp: false, allowPrivateNetworks: false }
const dev = { allowInsecureHttp: true, allowPrivateNetworks: true }

describe('validateToolUrl', () => {
  it.each([
    'https://tools.example.com/weather',
    'https://tools.example.com:8443/v1/run?x=1',
    'https://8.8.8.8/',
    'https://[2606:4700:4700::1111]/',
    'https://[64:ff9b::808:808]/', // NAT64 of a public address
  ])('accepts %s', (url) => {
    expect(validateToolUrl(url, strict)).toEqual([])
  })

  it.each([
    ['http://tools.example.com/', /must be an https URL/],
    ['ftp://tools.example.com/', /must be an https URL/],
    ['file:///etc/passwd', /must be an https URL/],
    ['https://user:pass@tools.example.com/', /credentials/],
    ['https://user@tools.example.com/', /credentials/],
    ['not a url', /whitespace/],
    ['/relative/path', /absolute URL/],
    ['', /required/],
    ['https://tools.exa\tmple.com/', /control characters/],
    ['https://tools.example.com/\n', /control characters/],
  ])('rejects %j', (url, message) => {
    const problems = validateToolUrl(url, strict)
    expect(problems).toEqual([{ path: 'url', message: expect.stringMatching(message) }])
  })

  it('rejects a URL over 2048 characters', () => {
    expect(validateToolUrl(`https://tools.example.com/${'a'.repeat(2030)}`, strict)).toEqual([{ path: 'url', message: 'must be at most 2048 characters' }])
    expect(validateToolUrl(`https://tools.example.com/${'a'.repeat(2000)}`, strict)).toEqual([])
  })

  it('rejects a non-string', () => {
    expect(validateToolUrl(42, strict)).toEqual([{ path: 'url', message: 'is required' }])
  })

  it('accepts http only when allowInsecureHttp is set', () => {
    expect(validateToolUrl('http://tools.example.com/', { ...strict, allowInsecureHttp: true })).toEqual([])
    expect(validateToolUrl('ftp://tools.example.com/', { ...strict, allowInsecureHttp: true })[0]?.message).toMatch(/http or https/)
  })

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://127.255.255.254:8080/', 'loopback'],
    ['https://localhost/', 'localhost'],
    ['https://LOCALHOST./', 'localhost'],
    ['https://api.localhost/', 'localhost'],
    ['https://10.0.0.1/', 'private network'],
    ['https://172.16.5.4/', 'private network'],
    ['https://192.168.1.1/', 'private network'],
    ['https://100.64.0.1/', 'CGNAT'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://100.100.100.200/', 'cloud metadata'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://255.255.255.255/', 'broadcast'],
    ['https://240.0.0.1/', 'reserved'],
    ['https://192.0.2.10/', 'documentation'],
    ['https://198.18.0.1/', 'benchmarking'],
    // Odd IPv4 spellings: the URL parser canonicalises them, and the canonical address is what gets judged.
    ['https://2130706433/', 'loopback'], // decimal
    ['https://0x7f000001/', 'loopback'], // hex
    ['https://0x7f.1/', 'loopback'], // hex, short form
    ['https://0177.0.0.1/', 'loopback'], // octal
    ['https://017700000001/', 'loopback'], // octal, one number
    ['https://127.1/', 'loopback'], // short form
    ['https://0/', 'unspecified'],
    ['https://0xa9.0xfe.0xa9.0xfe/', 'link-local'], // 169.254.169.254 in hex
    ['https://3232235777/', 'private network'], // 192.168.1.1
    // IPv6
    ['https://[::1]/', 'loopback'],
    ['https://[::]/', 'unspecified'],
    ['https://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['https://[::ffff:7f00:1]/', 'IPv4-mapped'],
    ['https://[::ffff:169.254.169.254]/', 'IPv4-mapped'],
    ['https://[::127.0.0.1]/', 'IPv4-compatible'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://[fc00::1]/', 'unique local'],
    ['https://[fd12:3456:789a::1]/', 'unique local'],
    ['https://[fd00:ec2::254]/', 'cloud metadata'],
    ['https://[ff02::1]/', 'multicast'],
    ['https://[64:ff9b::127.0.0.1]/', 'NAT64 of loopback'],
    ['https://[64:ff9b::a00:1]/', 'NAT64 of private network'],
    ['https://[2001:db8::1]/', 'documentation'],
    ['https://[2002:7f00:1::]/', '6to4'],
    ['https://[2001::1]/', 'Teredo'],
  ])('blocks %s by default', (url, reason) => {
    const problems = validateToolUrl(url, strict)
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toContain(reason)
  })

  it('opens loopback and private ranges, and nothing else, with allowPrivateNetworks', () => {
    for (const url of ['http://127.0.0.1:4000/', 'http://localhost/', 'https://10.1.2.3/', 'https://[::1]/', 'https://[fd12::1]/', 'https://100.64.1.1/']) {
      expect(validateToolUrl(url, dev)).toEqual([])
    }
    for (const url of ['https://169.254.169.254/', 'https://[fd00:ec2::254]/', 'https://100.100.100.200/', 'https://[::ffff:127.0.0.1]/', 'https://0.0.0.0/', 'https://[fe80::1]/']) {
      expect(validateToolUrl(url, dev)).toHaveLength(1)
    }
  })
})

describe('blockedAddressReason', () => {
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:800::200e', '64:ff9b::8.8.8.8'])(
    'allows the public address %s',
    (address) => expect(blockedAddressReason(address, strict)).toBeNull(),
  )

  it.each([
    ['127.0.0.1', 'loopback'], ['172.31.255.255', 'private network'], ['169.254.0.1', 'link-local (including cloud metadata)'],
    ['::ffff:10.0.0.1', 'IPv4-mapped IPv6'], ['::ffff:8.8.8.8', 'IPv4-mapped IPv6'], ['fe80::1%eth0', 'link-local'],
    ['4000::1', 'reserved'], ['2130706433', 'not an IP address'], ['0x7f.1', 'not an IP address'], ['', 'not an IP address'],
  ])('blocks %s (%s)', (address, reason) => {
    expect(blockedAddressReason(address, strict)).toBe(reason)
  })
})
