// Sealing of tenant secrets at rest (HTTP tool and MCP server header values): AES-256-GCM with a key derived from
// the server's root secret. A database dump or backup alone never reveals them; only a process holding the root
// secret can open them, and it does so only at the moment of a call. An optional context (e.g. tenant and owner id)
// is bound as associated data: a sealed value moved to another row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/** Opens and seals values with one key; the key never leaves the instance. */
export interface SecretBox {
  seal(plain: string, context?: string): string
  /** The plain text, or null when the value was sealed under another key or context, or altered. */
  open(sealed: string, context?: string): string | null
}

/** A box keyed by HKDF-SHA256 of `root` (purpose-bound, so the same root can key other things safely). */
export function createSecretBox(root: Buffer | string, purpose = 'tool-secrets'): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', root, 'agent-platform', purpose, 32))
  return {
    seal(plain, context) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      if (context) cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.')
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined) return null
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
        if (context) decipher.setAAD(Buffer.from(context))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
