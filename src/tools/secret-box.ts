// Sealing of tenant secrets at rest (HTTP tool header values): AES-256-GCM with a key derived from the server's
// root secret. A database dump or backup alone never reveals them; only a process holding the root secret can
// open them, and it does so only at the moment of a tool call.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/** Opens and seals values with one key; the key never leaves the instance. */
export interface SecretBox {
  seal(plain: string): string
  /** The plain text, or null when the value was sealed under another key or altered. */
  open(sealed: string): string | null
}

/** A box keyed by HKDF-SHA256 of `root` (purpose-bound, so the same root can key other things safely). */
export function createSecretBox(root: Buffer | string, purpose = 'tool-secrets'): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', root, 'agent-platform', purpose, 32))
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
