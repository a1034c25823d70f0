// The process logger: JSON lines (pino). Secrets never reach a line: known secret fields are redacted at any depth,
// credential-shaped strings (API keys, refresh/invitation tokens, JWTs, Bearer values) are masked wherever they
// appear (messages, error messages and stacks included), and configured PII fields are redacted like secrets.
import { pino } from 'pino'
import type { Config, LogLevel } from './config.ts'

export type Logger = pino.Logger

const censor = '[redacted]'

/** Field names whose values are secrets wherever they appear (compared case-insensitively, `-`/`_` ignored). */
const secretFields = [
  'password', 'newPassword', 'currentPassword', 'passwordHash', 'token', 'accessToken', 'refreshToken', 'idToken',
  'secret', 'secretHash', 'clientSecret', 'apiKey', 'x-api-key', 'authorization', 'proxy-authorization', 'cookie',
  'set-cookie', 'connectionParams', 'privateKey', 'jwtSecret', 'secretsKey',
]

/** Credential shapes: opaque secrets (src/auth/secrets.ts), JWTs, and whatever follows a Bearer/Basic scheme. */
const secretPatterns: RegExp[] = [
  /\b(?:apk|rt|inv)_[A-Za-z0-9_-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b(Bearer|Basic)\s+[^\s"',;]+/gi,
]

const normalise = (k: string) => k.toLowerCase().replace(/[-_]/g, '')

/** Returns `value` with secrets and `pii` fields redacted at any depth (cycles and depth bounded). */
export function createSanitizer(pii: string[] = []) {
  const sensitive = new Set([...secretFields, ...pii].map(normalise))
  const cleanString = (s: string) => {
    let out = s
    for (const p of secretPatterns) out = out.replace(p, (m, scheme?: string) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${censor}` : censor))
    return out
  }
  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return cleanString(value)
    if (value === null || typeof value !== 'object') return value
    if (seen.has(value) || depth > 8) return '[…]'
    seen.add(value)
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown }
      return {
        type: e.name,
        message: cleanString(e.message),
        ...(e.stack && { stack: cleanString(e.stack) }),
        ...(e.code !== undefined && { code: walk(e.code, depth + 1, seen) }),
        ...(e.cause !== undefined && { cause: walk(e.cause, depth + 1, seen) }),
      }
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen))
    if (value instanceof Date) return value
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]'
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = sensitive.has(normalise(k)) && v != null ? censor : walk(v, depth + 1, seen)
    return out
  }
  return {
    value: (v: unknown) => walk(v, 0, new WeakSet()),
    string: cleanString,
  }
}

/** The process logger: JSON lines, secrets and configured PII redacted. `destination` lets tests capture lines. */
export function createLogger(config: Pick<Config, 'log'>, destination?: pino.DestinationStream): Logger {
  const sanitize = createSanitizer(config.log.redactFields ?? [])
  return pino(
    {
      level: config.log.level,
      base: { service: 'agent-platform-api', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (object) => sanitize.value(object) as Record<string, unknown>,
        // Child bindings (e.g. a request id) are sanitized once, when the child is made.
        bindings: (bindings) => sanitize.value(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Interpolated message strings are masked too (objects go through formatters.log).
          const cleaned = args.map((a) => (typeof a === 'string' ? sanitize.string(a) : a)) as Parameters<typeof method>
          return method.apply(this, cleaned)
        },
      },
    },
    destination,
  )
}

/** A named module's logger, at the level `LOG_LEVELS` gives it (else the root level). */
export function moduleLogger(root: Logger, config: Pick<Config, 'log'>, module: string): Logger {
  const level: LogLevel | undefined = config.log.modules?.[module]
  return level ? root.child({ module }, { level }) : root.child({ module })
}
