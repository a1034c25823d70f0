// Input validation shared by services: collect every problem, then fail once with VALIDATION_FAILED naming each field.
import { validationFailed, type FieldProblem } from '../errors.ts'

export class Problems {
  readonly list: FieldProblem[] = []
  add(path: string, message: string) {
    this.list.push({ path, message })
  }
  addAll(problems: FieldProblem[]) {
    this.list.push(...problems)
  }
  /** Throws VALIDATION_FAILED listing every problem, if any. */
  check() {
    if (this.list.length) throw validationFailed(this.list)
  }
}

// Control characters (other than tab/newline in long text) are never legitimate in names and break logs and UIs.
/* eslint-disable no-control-regex -- matching control characters is the point */
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const controlCharsInLine = /[\u0000-\u001F\u007F]/
/* eslint-enable no-control-regex */

export interface TextRule {
  min?: number
  max: number
  /** Single-line values (names) also refuse tabs and newlines. */
  singleLine?: boolean
  pattern?: RegExp
  patternMessage?: string
}

/** A trimmed string satisfying `rule`; records a problem (and returns '') otherwise. */
export function text(p: Problems, path: string, value: unknown, rule: TextRule): string {
  if (typeof value !== 'string') {
    p.add(path, 'must be a string')
    return ''
  }
  const v = value.trim()
  const min = rule.min ?? 1
  if (v.length < min) p.add(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
  else if (v.length > rule.max) p.add(path, `must be at most ${rule.max} characters`)
  else if ((rule.singleLine ? controlCharsInLine : controlChars).test(v)) p.add(path, 'must not contain control characters')
  else if (rule.pattern && !rule.pattern.test(v)) p.add(path, rule.patternMessage ?? 'has an invalid format')
  return v
}

/** Resource names: letters, digits, spaces and `_ - . :`, starting with a letter or digit. */
export const namePattern = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]*$/u
export const nameRule: TextRule = { max: 100, singleLine: true, pattern: namePattern, patternMessage: 'may contain letters, digits, spaces and _ - . : only, and must start with a letter or digit' }

/** A normalised (trimmed, lower-cased) email address. */
export function email(p: Problems, path: string, value: unknown): string {
  const v = text(p, path, value, { max: 254, singleLine: true }).toLowerCase()
  if (v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) p.add(path, 'must be an email address')
  return v
}

/** Free-text descriptions: may be empty, several lines, at most 2,000 characters. */
export const descriptionRule: TextRule = { min: 0, max: 2_000 }
