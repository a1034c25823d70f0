// The `changes` of an audit entry: a before/after diff of the fields that changed, with secrets redacted. Entries are
// read by the tenant's compliance people (and kept for years), so anything that works as a credential never lands in
// them: not in a field named like one, and not inside a URL (credentials, query string, fragment).

export const REDACTED = '[REDACTED]'

type Plain = Record<string, unknown>
export type Redactor = (value: unknown) => unknown

export interface DiffOptions {
  /** Field-specific redaction, e.g. `{ url: redactUrl }`; applied before the name-based rule. */
  redact?: Record<string, Redactor>
}

export interface Changes {
  before?: Plain
  after?: Plain
}

// Names that hold credentials wherever they appear (compared without case, `_` or `-`). `token` only as a suffix:
// `accessToken` is a secret, `maxTokens` a count.
const secretName = /secret|password|passw|passphrase|credential|authorization|apikey|privatekey|hash$|token$|cookie/

/** Whether a field of this name is redacted wherever it appears. */
export const isSecretName = (key: string) => secretName.test(key.toLowerCase().replace(/[_-]/g, ''))

/** A URL without what could authenticate: credentials, query string and fragment become `[REDACTED]`. */
export function redactUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return REDACTED // not a URL we can take apart: keep none of it
  }
  const auth = url.username || url.password ? `${REDACTED}@` : ''
  return `${url.protocol}//${auth}${url.host}${url.pathname}${url.search ? `?${REDACTED}` : ''}${url.hash ? `#${REDACTED}` : ''}`
}

/** `value` with every secret-named field, at any depth, replaced by `[REDACTED]`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k) ? REDACTED : redactSecrets(v)]))
  }
  return value
}

const redactField = (key: string, value: unknown, opts: DiffOptions) => {
  if (value == null) return null
  if (value instanceof Date) return value.toISOString()
  if (isSecretName(key)) return REDACTED
  const own = opts.redact?.[key]
  return redactSecrets(own ? own(value) : value)
}

/** Canonical JSON (sorted keys, dates as ISO strings), to compare values by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Plain)[k]]))
    }
    return v
  })
}

/** Whether two JSON values are equal by content (object key order ignored, as jsonb does). */
export const sameJson = (a: unknown, b: unknown) => canonical(a ?? null) === canonical(b ?? null)

/**
 * The fields that differ between `before` and `after` (null for a creation or a deletion), each side redacted.
 * A changed secret shows as `[REDACTED]` on both sides: the entry records that it changed, never its value.
 */
export function diff(before: Plain | null | undefined, after: Plain | null | undefined, opts: DiffOptions = {}): Changes {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])]
  const changed = before && after ? keys.filter((k) => !sameJson(before[k], after[k])) : keys
  const side = (row: Plain | null | undefined) => (row ? Object.fromEntries(changed.map((k) => [k, redactField(k, row[k], opts)])) : undefined)
  const out: Changes = {}
  const b = side(before)
  const a = side(after)
  if (b) out.before = b
  if (a) out.after = a
  return out
}

/** True when a diff records no change (an update that changed nothing). */
export const isEmptyDiff = (c: Changes) => !Object.keys(c.before ?? {}).length && !Object.keys(c.after ?? {}).length
