// Screening of the regular expressions a tenant puts in an inputSchema (`pattern`, `patternProperties`). ajv runs
// them with the backtracking RegExp engine on model-written strings in the worker, so one catastrophic pattern can
// stall every run in the process. A heuristic, not a proof: it rejects the classic exponential shapes (a repeated
// group that itself contains a repetition or an alternation, backreferences) and over-long patterns; polynomial
// cases such as `\d+\d+x` still pass (see docs/tools.md).
import type { FieldProblem } from '../errors.ts'

export const MAX_PATTERN_LENGTH = 512

/**
 * Problems with every pattern in the document. Every `pattern` string and `patternProperties` key anywhere is
 * checked, not only those in keyword positions, because `$ref` can point ajv at any part of the document.
 */
export function patternProblems(schema: unknown, path: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  const visit = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object') return
    for (const [key, child] of Object.entries(node)) {
      const childPath = `${at}.${key}`
      if (key === 'pattern' && typeof child === 'string') {
        const why = unsafePattern(child)
        if (why) problems.push({ path: childPath, message: why })
      }
      if (key === 'patternProperties' && child !== null && typeof child === 'object' && !Array.isArray(child)) {
        for (const p of Object.keys(child)) {
          const why = unsafePattern(p)
          if (why) problems.push({ path: `${childPath}.${p}`, message: why })
        }
      }
      visit(child, childPath)
    }
  }
  visit(schema, path)
  return problems
}

/** Why a pattern is refused, or null when it is accepted. */
export function unsafePattern(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `pattern is longer than ${MAX_PATTERN_LENGTH} characters`
  try {
    new RegExp(source, 'u') // the flags ajv uses
  } catch {
    return 'is not a valid regular expression'
  }
  // One frame per open group: does it contain a variable-length repetition, or a top-level alternation?
  const stack = [{ variable: false, alternates: false }]
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    let atomVariable = false
    if (c === '\\') {
      if (/[1-9k]/.test(source[i + 1] ?? '')) return 'backreferences are not allowed in patterns'
      i++
    } else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++
    } else if (c === '(') {
      stack.push({ variable: false, alternates: false })
      continue
    } else if (c === '|') {
      stack.at(-1)!.alternates = true
      continue
    } else if (c === ')') {
      const group = stack.pop()!
      const q = quantifierAt(source, i + 1)
      if (q.repeating && group.variable) return 'nested repetition such as (a+)+ can take exponential time'
      if (q.repeating && q.variable && group.alternates) {
        return 'a repeated alternation such as (a|b)+ can take exponential time; use a character class'
      }
      atomVariable = group.variable
    }
    const q = quantifierAt(source, i + 1)
    if (q.variable || atomVariable) stack.at(-1)!.variable = true
    i += q.length
  }
  return null
}

// The quantifier after an atom: can it repeat the atom (max > 1), and does it match a variable count (min < max)?
// Nesting is only dangerous when an inner variable part can be split between outer repetitions in many ways.
function quantifierAt(source: string, i: number): { length: number; repeating: boolean; variable: boolean } {
  const c = source[i]
  let min = 1
  let max = 1
  let length = 0
  if (c === '*' || c === '+' || c === '?') {
    length = 1
    min = c === '+' ? 1 : 0
    max = c === '?' ? 1 : Infinity
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24))
    if (m) {
      length = m[0].length
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
    }
  }
  if (length && source[i + length] === '?') length++ // lazy variant
  return { length, repeating: max > 1, variable: min !== max }
}
