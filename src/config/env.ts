// How src/config.ts declares its variables, and the parsers of their values. A configuration is a nested object whose
// leaves are `env(NAME, parser)`; reading walks it, and the type of the result is derived from it, so each variable is
// written down once. Reads no environment itself: src/config.ts passes process.env in.
import { z } from 'zod'

export class ConfigError extends Error {}

/** One environment variable: its name, and the zod schema that validates its value (unset = undefined) and defaults it. */
export class EnvVar<P extends z.ZodType = z.ZodType> {
  constructor(
    readonly name: string,
    readonly parser: P,
  ) {}
}

export const env = <P extends z.ZodType>(name: string, parser: P) => new EnvVar(name, parser)

export interface EnvSpec {
  readonly [key: string]: EnvVar | EnvSpec
}

/** What a declaration reads as: the same shape, each leaf replaced by its parser's output. */
export type FromEnv<S> = S extends EnvVar<infer P> ? z.output<P> : { [K in keyof S]: FromEnv<S[K]> }

/** Variables whose rejected value is not echoed back: secrets, and URLs that may carry credentials. */
const secret = /SECRET|URL|KEY|TOKEN|ENDPOINT/

/** Reads every leaf in declaration order; throws ConfigError with one line naming the first bad variable. */
export function readEnv<S extends EnvSpec>(spec: S, vars: Readonly<Record<string, string | undefined>>): FromEnv<S> {
  const seen = new Set<string>()
  const walk = (node: EnvVar | EnvSpec): unknown => {
    if (!(node instanceof EnvVar)) return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]))
    if (seen.has(node.name)) throw new Error(`${node.name} is declared twice`)
    seen.add(node.name)
    const parsed = node.parser.safeParse(vars[node.name])
    if (parsed.success) return parsed.data
    const shown = secret.test(node.name) ? '' : ` (got ${JSON.stringify(vars[node.name])})`
    throw new ConfigError(`Invalid configuration: ${node.name} ${parsed.error.issues[0]!.message}${shown}`)
  }
  return walk(spec) as FromEnv<S>
}

// Parsers of the common kinds of value.

export const bool = (def: boolean) =>
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).default(def ? 'true' : 'false').transform((v) => ['true', '1', 'yes'].includes(v))
export const int = (def: number, min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def)
/** A positive integer, or `unlimited` (also `0`), which becomes null. */
export const unlimitedOr = (def: number) =>
  z.string().default(String(def)).transform((v, ctx) => {
    if (v === 'unlimited' || v === '0') return null
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n < 1) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive integer or `unlimited`' })
      return z.NEVER
    }
    return n
  })
export const optionalString = z.string().trim().min(1).optional().catch(undefined)
export const url = (protocols: string[]) =>
  z.string().trim().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol)
    } catch {
      return false
    }
  }, `must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`)
/** A comma-separated list; blanks around and between items are dropped. */
export const list = (def: string) => z.string().default(def).transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))

// Parsers of the structured values.

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]

/** A field-level rate limit (`FIELD_RATE_LIMITS`), applied per principal (or client IP when anonymous). */
export interface FieldRateLimit {
  type: string
  field: string
  max: number
  windowMs: number
}

/** A JSON Web Key Set (`{"keys":[…]}` or a bare array) whose keys all carry `kid` and `alg`; unset = no keys. */
export const jwkSet = (kind: 'private' | 'public') =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined) return []
    try {
      const parsed = JSON.parse(v) as unknown
      const keys = (Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys) as Record<string, unknown>[] | undefined
      if (!Array.isArray(keys) || !keys.length) throw new Error('no keys')
      for (const k of keys) {
        if (typeof k.kid !== 'string' || !['RS256', 'PS256', 'ES256', 'EdDSA'].includes(k.alg as string)) throw new Error('kid/alg')
        if (kind === 'private' && typeof k.d !== 'string') throw new Error('not private')
      }
      return keys
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a JSON Web Key Set of ${kind} keys, each with kid and alg (RS256, PS256, ES256 or EdDSA)` })
      return z.NEVER
    }
  })

export const modelMap = z.string().transform((v, ctx) => {
  try {
    const m = JSON.parse(v) as unknown
    if (!m || typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((x) => typeof x !== 'string')) throw new Error()
    return m as Record<string, string>
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object mapping model names to provider model names' })
    return z.NEVER
  }
})

export const moduleLevels = z.string().default('').transform((v, ctx) => {
  const levels: Record<string, LogLevel> = {}
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, level] = part.split('=').map((s) => s.trim())
    if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !logLevels.includes(level as LogLevel)) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of module=level (level one of ${logLevels.join(', ')})` })
      return z.NEVER
    }
    levels[name] = level as LogLevel
  }
  return levels
})

export const fieldRateLimits = z.string().default('Mutation.runAgent=10/1m').transform((v, ctx) => {
  const rules: FieldRateLimit[] = []
  if (v.trim() === 'none') return rules
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)=(\d+)\/(\d+)(s|m|h)?$/.exec(part)
    const max = Number(m?.[3])
    const windowMs = Number(m?.[4]) * ({ s: 1_000, m: 60_000, h: 3_600_000 }[m?.[5] ?? 's'] ?? 1_000)
    if (!m || !(max >= 1) || !(windowMs >= 1_000) || windowMs > 86_400_000) {
      ctx.addIssue({ code: 'custom', message: 'must be `none` or a comma-separated list of Type.field=MAX/WINDOW (e.g. Mutation.runAgent=10/1m; window in s, m or h, 1 s to 24 h)' })
      return z.NEVER
    }
    rules.push({ type: m[1]!, field: m[2]!, max, windowMs })
  }
  return rules
})

export const corsOrigins = list('').transform((origins, ctx) => {
  for (const o of origins) {
    if (o === '*') continue
    try {
      const u = new URL(o)
      if (!['http:', 'https:'].includes(u.protocol) || u.origin !== o) throw new Error()
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be `*` or a comma-separated list of origins such as https://app.example.com (scheme, host and port only)' })
      return z.NEVER
    }
  }
  return origins
})
