// Access tokens: short-lived JWTs. Verification is strict (issuer, audience, typ, kid → key → algorithm, expiry,
// iat not in the future) and ANY failure, including jose's plain TypeErrors for malformed input, is UNAUTHENTICATED.
import { createHash, randomUUID } from 'node:crypto'
import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'
import { AppError } from '../errors.ts'

export interface AccessClaims {
  userId: string
  tenantId: string
  /** Refresh-token family, i.e. the session. */
  sessionId: string
  tokenId: string
  issuedAt: Date
  expiresAt: Date
}

interface Key {
  kid: string
  alg: string
  verify: CryptoKey | Uint8Array
  sign?: CryptoKey | Uint8Array
  publicJwk?: JWK
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Invalid or expired credentials.')

export interface KeyRing {
  sign(claims: { userId: string; tenantId: string; sessionId: string }): Promise<{ token: string; claims: AccessClaims }>
  verify(token: string): Promise<AccessClaims>
  /** Public keys for `/.well-known/jwks.json` (asymmetric keys only). */
  jwks(): { keys: JWK[] }
}

export interface KeyRingOptions {
  secret?: string
  privateKeys: Record<string, unknown>[]
  publicKeys: Record<string, unknown>[]
  issuer: string
  audience: string
  ttlSeconds: number
}

/** Loads the signing and verification keys: the first private key signs (else HS256 with the secret). */
export async function createKeyRing(o: KeyRingOptions): Promise<KeyRing> {
  const keys = new Map<string, Key>()
  for (const jwk of o.privateKeys as JWK[]) {
    const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([k]) => !privateMembers.includes(k))) as JWK
    keys.set(jwk.kid!, { kid: jwk.kid!, alg: jwk.alg!, sign: await importJWK(jwk, jwk.alg), verify: await importJWK(publicJwk, jwk.alg), publicJwk })
  }
  for (const jwk of o.publicKeys as JWK[]) {
    if (!keys.has(jwk.kid!)) keys.set(jwk.kid!, { kid: jwk.kid!, alg: jwk.alg!, verify: await importJWK(jwk, jwk.alg), publicJwk: jwk })
  }
  if (o.secret) {
    const secret = new TextEncoder().encode(o.secret)
    const kid = `hs256-${createHash('sha256').update(o.secret).digest('hex').slice(0, 12)}`
    keys.set(kid, { kid, alg: 'HS256', sign: secret, verify: secret })
  }
  const signer = [...keys.values()].find((k) => k.sign)
  if (!signer) throw new Error('no JWT signing key: set JWT_SECRET or JWT_PRIVATE_KEYS')
  const algorithms = [...new Set([...keys.values()].map((k) => k.alg))]

  return {
    async sign({ userId, tenantId, sessionId }) {
      const tokenId = randomUUID()
      // `ims`: issue time in ms; `iat` has 1 s resolution, too coarse to compare with a password change.
      const issuedMs = Date.now()
      const now = Math.floor(issuedMs / 1000)
      const token = await new SignJWT({ tid: tenantId, sid: sessionId, ims: issuedMs })
        .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'at+jwt' })
        .setSubject(userId).setJti(tokenId).setIssuer(o.issuer).setAudience(o.audience)
        .setIssuedAt(now).setExpirationTime(now + o.ttlSeconds)
        .sign(signer.sign!)
      return { token, claims: { userId, tenantId, sessionId, tokenId, issuedAt: new Date(issuedMs), expiresAt: new Date((now + o.ttlSeconds) * 1000) } }
    },
    async verify(token) {
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, (header) => {
          const key = header.kid ? keys.get(header.kid) : undefined
          // The key decides the algorithm: a token cannot pick HS256 to be checked with an RSA public key.
          if (!key || key.alg !== header.alg) throw new joseErrors.JWKSNoMatchingKey()
          return key.verify
        }, {
          issuer: o.issuer, audience: o.audience, algorithms, typ: 'at+jwt', clockTolerance: 5,
          maxTokenAge: o.ttlSeconds + 60, requiredClaims: ['sub', 'jti', 'iat', 'exp', 'tid', 'sid'],
        }))
      } catch {
        throw unauthenticated()
      }
      const { sub, tid, sid, jti, iat, exp, ims } = payload as JWTPayload & { tid: unknown; sid: unknown; ims: unknown }
      if (![sub, tid, sid, jti].every((v) => typeof v === 'string' && uuid.test(v))) throw unauthenticated()
      return { userId: sub!, tenantId: tid as string, sessionId: sid as string, tokenId: jti!, issuedAt: new Date(typeof ims === 'number' && Math.floor(ims / 1000) === iat ? ims : iat! * 1000), expiresAt: new Date(exp! * 1000) }
    },
    jwks: () => ({ keys: [...keys.values()].flatMap((k) => (k.publicJwk ? [{ ...k.publicJwk, use: 'sig' }] : [])) }),
  }
}

