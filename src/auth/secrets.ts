// Opaque secrets (API keys, refresh tokens, invitations): high-entropy random strings with a recognisable prefix,
// stored only as SHA-256 hashes. A fast hash is right here: the secrets have 256 bits of entropy, unlike passwords.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export type SecretKind = 'apk' | 'rt' | 'inv'

const shape = /^(apk|rt|inv)_([A-Za-z0-9_-]{43})$/

/** A new secret of `kind`: `<kind>_` + 32 random bytes (base64url). */
export const newSecret = (kind: SecretKind) => `${kind}_${randomBytes(32).toString('base64url')}`

/** SHA-256 of a secret, hex. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

/** True when `value` looks like a secret of `kind` (cheap rejection of garbage before any database work). */
export const isSecret = (value: string, kind: SecretKind) => shape.exec(value)?.[1] === kind

/** The public, non-secret part of an API key shown in lists and used to find it: `apk_` + 8 characters. */
export const apiKeyPrefix = (secret: string) => secret.slice(0, 12)
