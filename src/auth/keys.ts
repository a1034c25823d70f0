// Signing material for the process: the JWT key ring and the server secret (HMAC of cursors) derived from it.
// Every process of one service must derive the same material, so production requires configured keys.
import { hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { createKeyRing, type KeyRing } from './jwt.ts'

/** Loads the key ring; outside production, with nothing configured, uses a generated development secret. */
export async function loadSigning(config: Config, logger: Logger): Promise<{ keys: KeyRing; serverSecret: Buffer }> {
  const a = config.auth
  const firstPrivate = a.privateKeys[0]?.d as string | undefined
  const secret = a.jwtSecret ?? (a.privateKeys.length ? undefined : devSecret(config, logger))
  const root = a.jwtSecret ?? firstPrivate ?? secret!
  const keys = await createKeyRing({ secret, privateKeys: a.privateKeys, publicKeys: a.publicKeys, issuer: a.issuer, audience: a.audience, ttlSeconds: a.accessTokenTtl })
  const serverSecret = Buffer.from(hkdfSync('sha256', root, 'agent-platform', 'cursor-hmac', 32))
  return { keys, serverSecret }
}

/** Embedded mode keeps a generated secret in DATA_DIR so sessions survive restarts; otherwise it is per process. */
function devSecret(config: Config, logger: Logger): string {
  if (config.database.url) {
    logger.warn('JWT_SECRET is not set: using a random per-process secret (tokens do not survive restarts or work across processes)')
    return randomBytes(48).toString('base64url')
  }
  const file = path.join(config.database.dataDir, 'dev-secret')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.database.dataDir, { recursive: true })
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' })
  }
  return fs.readFileSync(file, 'utf8').trim()
}
