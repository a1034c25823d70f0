// Write-only secrets at rest (MCP server headers): AES-256-GCM under a key derived (HKDF) from the server secret, so
// a database dump alone reveals nothing. The purpose is bound as associated data: a sealed value cannot be moved to
// another column or tenant and still open. (Issue 16 adds the same for HTTP tool headers; unify them at merge.)
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const keyFor = (serverSecret: Buffer) => Buffer.from(hkdfSync('sha256', serverSecret, Buffer.alloc(0), 'agent-platform secret-box v1', 32))

/** Encrypts `value` (JSON) for `purpose`; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function sealSecret(serverSecret: Buffer, purpose: string, value: unknown): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor(serverSecret), iv)
  cipher.setAAD(Buffer.from(purpose))
  const data = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), data].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join('.')
}

/** Decrypts what sealSecret produced for the same purpose; throws if the key, purpose or data differ. */
export function openSecret<T>(serverSecret: Buffer, purpose: string, sealed: string): T {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown sealed secret format')
  const decipher = createDecipheriv('aes-256-gcm', keyFor(serverSecret), Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(purpose))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString()) as T
}
