// Standard Webhooks signing (https://www.standardwebhooks.com): `v1,` + base64 HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>", keyed with the base64-decoded secret after "whsec_". While a rotated-out
// secret is in its grace period, both signatures are sent (space-separated), so receivers can switch keys at leisure.
import { createHmac, randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'

/** A new signing secret: `whsec_` + 32 random bytes in base64 (the format Standard Webhooks libraries accept). */
export const newWebhookSecret = () => `${PREFIX}${randomBytes(32).toString('base64')}`

/** The `v1,<signature>` of one message under one secret. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`
}

/** The headers of one delivery attempt, signed with every secret given (current first). */
export function signedHeaders(secrets: string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => sign(s, id, timestampSeconds, body)).join(' '),
  }
}
