// Personal data and secrets in free text, for tenants with `redactPii`: each match becomes `[REDACTED:<KIND>]`.
// Phone numbers come from libphonenumber-js (Google's metadata: only numbers valid for their region), IBANs are
// checked with ibantools (country format and mod-97 check digits), card numbers with the Luhn checksum; e-mail
// addresses and secret-looking tokens are patterns. Order matters: secrets and e-mails first (their digits must not
// look like phones), then IBANs and cards, then phones.
import { createRequire } from 'node:module'
import type * as PhoneNumbers from 'libphonenumber-js'
import type { CountryCode } from 'libphonenumber-js'
import { electronicFormatIBAN, isValidIBAN } from 'ibantools'

// libphonenumber-js (code and Google's metadata, ~0.5 MB of source) loads on the first redaction, not at start-up: most
// tenants never turn redaction on (idle RSS, docs/performance.md issue 10 item 19). require() keeps redaction
// synchronous, as its callers are; the package loads from node_modules, outside the bundle.
const requireCjs = createRequire(import.meta.url)
let phoneNumbers: typeof PhoneNumbers | undefined
const findPhoneNumbersInText: typeof PhoneNumbers.findPhoneNumbersInText = (...args: Parameters<typeof PhoneNumbers.findPhoneNumbersInText>) =>
  (phoneNumbers ??= requireCjs('libphonenumber-js') as typeof PhoneNumbers).findPhoneNumbersInText(...args)

export type PiiKind = 'SECRET' | 'EMAIL' | 'IBAN' | 'CARD' | 'PHONE'

const mark = (kind: PiiKind) => `[REDACTED:${kind}]`

// Tokens whose shape says "credential": JWTs, bearer values, well-known key formats, and `name=value` pairs whose name
// says secret. Values shorter than 8 characters are left alone (too many false positives, too little to leak).
const secretPatterns: [RegExp, (m: string, ...groups: string[]) => string][] = [
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, () => mark('SECRET')],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, (_m, scheme) => `${scheme} ${mark('SECRET')}`],
  [/\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{10,}\b/g, () => mark('SECRET')],
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, () => mark('SECRET')],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})\b/g, () => mark('SECRET')],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, () => mark('SECRET')],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, () => mark('SECRET')],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, () => mark('SECRET')],
  [/\b(?:apk|whsec)_[A-Za-z0-9_+/=-]{12,}/g, () => mark('SECRET')],
  [/\b((?:api[_-]?key|access[_-]?token|auth[_-]?token|secret|password|passwd|pwd)["']?\s*[:=]\s*["']?)([^\s"',;&]{8,})/gi, (_m, name) => `${name}${mark('SECRET')}`],
]

const email = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g
const ibanCandidate = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/g
const cardCandidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g

/** The Luhn checksum of a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}

function redactPhones(text: string, region: CountryCode): string {
  const found = findPhoneNumbersInText(text, { defaultCountry: region })
  let out = text
  // Right to left, so earlier offsets stay valid.
  for (const f of found.reverse()) out = `${out.slice(0, f.startsAt)}${mark('PHONE')}${out.slice(f.endsAt)}`
  return out
}

/** `text` with every detected e-mail, phone, card number, IBAN and secret-looking token replaced. */
export function redactPiiText(text: string, opts: { phoneRegion?: CountryCode } = {}): string {
  if (!text) return text
  let out = text
  for (const [pattern, replace] of secretPatterns) out = out.replace(pattern, replace as (m: string) => string)
  out = out.replace(email, mark('EMAIL'))
  out = out.replace(ibanCandidate, (m) => (isValidIBAN(electronicFormatIBAN(m) ?? '') ? mark('IBAN') : m))
  out = out.replace(cardCandidate, (m) => {
    const digits = m.replace(/[ -]/g, '')
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? mark('CARD') : m
  })
  return redactPhones(out, opts.phoneRegion ?? 'US')
}

/** A JSON value with every string in it (not the keys) redacted. */
export function redactPiiValue<T>(value: T, opts: { phoneRegion?: CountryCode } = {}): T {
  if (typeof value === 'string') return redactPiiText(value, opts) as T
  if (Array.isArray(value)) return value.map((v) => redactPiiValue(v, opts)) as T
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactPiiValue(v, opts)])) as T
  }
  return value
}
