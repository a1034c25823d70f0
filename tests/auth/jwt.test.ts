// Access-token verification against the classic JWT attacks: every one is UNAUTHENTICATED (HTTP 401), never a 500
// and never anonymous access. Also key rotation through a key set.
import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'

const secret = 'jwt-test-secret-jwt-test-secret-0123456789'
const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)

async function privateJwk(alg: 'ES256' | 'RS256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { priv: { ...(await exportJWK(privateKey)), kid, alg } as JWK, pub: { ...(await exportJWK(publicKey)), kid, alg } as JWK, privateKey }
}

const viewer = (t: TestApp, headers: Record<string, string>) => t.gql('{ viewer { role } }', undefined, headers)

describe('HS256 access tokens', () => {
  let t: TestApp
  let s: Session
  let claims: Record<string, unknown>
  let kid: string
  beforeAll(async () => {
    t = await startApp({ JWT_SECRET: secret })
    s = await signUp(t)
    const [header, payload] = s.accessToken.split('.') as [string, string]
    kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  })

  /** A correctly signed token with `changes` applied to the real claims. */
  const forge = (changes: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims, ...changes }).setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt', ...header }).sign(new TextEncoder().encode(secret))

  it('accepts the genuine token and a faithful re-signing of it', async () => {
    expect((await viewer(t, s.headers)).body.data).toEqual({ viewer: { role: 'OWNER' } })
    expect((await viewer(t, { authorization: `Bearer ${await forge({})}` })).body.data).toEqual({ viewer: { role: 'OWNER' } })
  })

  const attacks: [string, () => Promise<string> | string][] = [
    ['alg none', () => `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims)}.`],
    ['expired', () => forge({ iat: now() - 3600, exp: now() - 60 })],
    ['not yet valid (nbf)', () => forge({ nbf: now() + 3600 })],
    ['issued in the future (iat)', () => forge({ iat: now() + 3600, exp: now() + 7200 })],
    ['wrong issuer', () => forge({ iss: 'someone-else' })],
    ['wrong audience', () => forge({ aud: 'another-api' })],
    ['wrong type', () => forge({}, { typ: 'JWT' })],
    ['unknown kid', () => forge({}, { kid: 'no-such-key' })],
    ['no kid', () => forge({}, { kid: undefined })],
    ['tampered payload', () => { const [h, , sig] = s.accessToken.split('.'); return `${h}.${b64({ ...claims, sub: randomUUID() })}.${sig}` }],
    ['stripped signature', () => s.accessToken.split('.').slice(0, 2).join('.') + '.'],
    ['signature only removed (two parts)', () => s.accessToken.split('.').slice(0, 2).join('.')],
    ['missing tenant claim', () => forge({ tid: undefined })],
    ['claims that are not ids', () => forge({ sub: "1' OR '1'='1", tid: 'x' })],
    ['a user of no such tenant', () => forge({ tid: randomUUID() })],
    ['garbage', () => 'garbage'],
    ['three garbage parts', () => 'a.b.c'],
    ['non-JSON header', () => `${Buffer.from('{{{').toString('base64url')}.${b64(claims)}.x`],
    ['huge token', () => 'x'.repeat(100_000)],
    ['non-ASCII', () => 'ümläut.ü.ü'],
  ]

  it.each(attacks)('%s → 401 UNAUTHENTICATED', async (_name, make) => {
    const r = await viewer(t, { authorization: `Bearer ${await make()}` })
    expect(r.status).toBe(401)
    expect(codeOf(r)).toBe('UNAUTHENTICATED')
    expect(r.body.data ?? null).toBeNull()
  })

  it.each([['empty Bearer', 'Bearer '], ['bare Bearer', 'Bearer'], ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`], ['two tokens', 'Bearer a b']])(
    '%s → 401', async (_name, authorization) => {
      const r = await viewer(t, { authorization })
      expect(r.status).toBe(401)
      expect(codeOf(r)).toBe('UNAUTHENTICATED')
    })

  it('ignores a key in the query string (the request stays anonymous)', async () => {
    const r = await t.fetch(`/graphql?query=${encodeURIComponent('{ viewer { role } }')}&access_token=${s.accessToken}`, { headers: { 'x-graphql-yoga-csrf': '1' } })
    expect(r.status).toBe(401)
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED')
  })
})

describe('asymmetric keys and rotation', () => {
  it('verifies tokens of retired keys, publishes the JWKS, and refuses HS256 forged with a public key', async () => {
    const current = await privateJwk('ES256', 'key-2026-11')
    const retired = await privateJwk('RS256', 'key-2026-10')
    const t = await startApp({ JWT_SECRET: '', JWT_PRIVATE_KEYS: JSON.stringify({ keys: [current.priv] }), JWT_PUBLIC_KEYS: JSON.stringify({ keys: [retired.pub] }) }, { listen: true })
    const s = await signUp(t)
    expect(JSON.parse(Buffer.from(s.accessToken.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'ES256', kid: 'key-2026-11' })
    expect((await viewer(t, s.headers)).body.data).toEqual({ viewer: { role: 'OWNER' } })

    const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1]!, 'base64url').toString())
    const byRetired = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'key-2026-10', typ: 'at+jwt' }).sign(retired.privateKey)
    expect((await viewer(t, { authorization: `Bearer ${byRetired}` })).body.data).toEqual({ viewer: { role: 'OWNER' } })

    for (const [kid, key] of [['key-2026-10', retired.pub], ['key-2026-11', current.pub]] as const) {
      const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' }).sign(new TextEncoder().encode(JSON.stringify(key)))
      const r = await viewer(t, { authorization: `Bearer ${confused}` })
      expect(r.status).toBe(401)
      expect(codeOf(r)).toBe('UNAUTHENTICATED')
    }
    const wrongAlg = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'key-2026-10', typ: 'at+jwt' }).sign(current.privateKey)
    expect(codeOf(await viewer(t, { authorization: `Bearer ${wrongAlg}` }))).toBe('UNAUTHENTICATED')

    const jwks = (await (await fetch(`http://127.0.0.1:${t.port}/.well-known/jwks.json`)).json()) as { keys: JWK[] }
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(['key-2026-10', 'key-2026-11'])
    for (const k of jwks.keys) expect(k.d).toBeUndefined()
    expect(raw(s.userId)).toMatch(/^[0-9a-f-]{36}$/)
  })
})
