// Arithmetic for the `calculator` built-in: a tokenizer and a recursive-descent parser that evaluates as it parses.
// Model-written input is untrusted, so there is no eval/Function, names resolve only against the tables below (never
// through an object prototype: `constructor` is unknown), and length and nesting are bounded before any recursion.

export const MAX_EXPRESSION_LENGTH = 1000
export const MAX_NESTING = 32

export class CalculatorError extends Error {}

type Token = { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string }

const CONSTANTS = new Map<string, number>([['pi', Math.PI], ['e', Math.E]])
// [function, minimum arity, maximum arity]
const FUNCTIONS = new Map<string, [(...a: number[]) => number, number, number]>([
  ['sqrt', [Math.sqrt, 1, 1]], ['abs', [Math.abs, 1, 1]], ['round', [Math.round, 1, 1]],
  ['floor', [Math.floor, 1, 1]], ['ceil', [Math.ceil, 1, 1]], ['exp', [Math.exp, 1, 1]],
  ['ln', [Math.log, 1, 1]], ['log', [Math.log10, 1, 1]], ['log2', [Math.log2, 1, 1]],
  ['sin', [Math.sin, 1, 1]], ['cos', [Math.cos, 1, 1]], ['tan', [Math.tan, 1, 1]],
  ['min', [Math.min, 1, 64]], ['max', [Math.max, 1, 64]],
])
export const CALCULATOR_FUNCTIONS = [...FUNCTIONS.keys()]

// Sticky: each match must start exactly where the previous one ended, so nothing is skipped silently.
const TOKEN = /(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),])/y

function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let at = 0
  for (;;) {
    while (at < input.length && /\s/.test(input[at]!)) at++
    if (at >= input.length) return tokens
    TOKEN.lastIndex = at
    const m = TOKEN.exec(input)
    if (!m) throw new CalculatorError(`Unexpected character '${input[at]}' at position ${at + 1}.`)
    at = TOKEN.lastIndex
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) })
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2] })
    else tokens.push({ kind: 'op', value: m[3]! })
  }
}

/** Evaluates an arithmetic expression; throws CalculatorError with a message fit for the model. */
export function evaluate(input: string): number {
  if (input.length > MAX_EXPRESSION_LENGTH) throw new CalculatorError(`Expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`)
  const tokens = tokenize(input)
  if (tokens.length === 0) throw new CalculatorError('Expression is empty.')
  let pos = 0
  let depth = 0
  const peek = () => tokens[pos]
  const isOp = (value: string) => peek()?.kind === 'op' && peek()!.value === value
  const expect = (value: string) => {
    if (!isOp(value)) throw new CalculatorError(`Expected '${value}'${describe(peek())}.`)
    pos++
  }
  const nest = <T>(fn: () => T): T => {
    if (++depth > MAX_NESTING) throw new CalculatorError(`Expression is nested more than ${MAX_NESTING} levels deep.`)
    try {
      return fn()
    } finally {
      depth--
    }
  }

  const additive = (): number => {
    let left = multiplicative()
    while (isOp('+') || isOp('-')) {
      const op = tokens[pos++]!.value
      const right = multiplicative()
      left = finite(op === '+' ? left + right : left - right)
    }
    return left
  }
  const multiplicative = (): number => {
    let left = unary()
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = tokens[pos++]!.value
      const right = unary()
      if (op !== '*' && right === 0) throw new CalculatorError(op === '/' ? 'Division by zero.' : 'Modulo by zero.')
      left = finite(op === '*' ? left * right : op === '/' ? left / right : left % right)
    }
    return left
  }
  // Unary minus binds looser than power (-2^2 = -4) and the exponent may itself be signed (2^-1), as in mathematics.
  const unary = (): number => nest(() => {
    const sign = isOp('-') ? -1 : isOp('+') ? 1 : 0
    if (sign !== 0) {
      pos++
      return sign * unary()
    }
    const base = primary()
    if (!isOp('^') && !isOp('**')) return base
    pos++
    return finite(base ** unary())
  })
  const primary = (): number => {
    const t = peek()
    pos++
    if (t?.kind === 'num') return finite(t.value) // 1e999 parses to Infinity
    if (t?.kind === 'op' && t.value === '(') {
      const value = additive()
      expect(')')
      return value
    }
    if (t?.kind !== 'name') throw new CalculatorError(`Expected a number${describe(t)}.`)
    const constant = CONSTANTS.get(t.value.toLowerCase())
    if (constant !== undefined && !isOp('(')) return constant
    const fn = FUNCTIONS.get(t.value.toLowerCase())
    if (!fn) throw new CalculatorError(`Unknown name '${t.value}'. Functions: ${CALCULATOR_FUNCTIONS.join(', ')}; constants: pi, e.`)
    expect('(')
    const args = [additive()]
    while (isOp(',')) {
      pos++
      args.push(additive())
    }
    expect(')')
    const [impl, min, max] = fn
    if (args.length < min || args.length > max) throw new CalculatorError(`${t.value} takes ${min === max ? min : `${min} to ${max}`} argument(s).`)
    return finite(impl(...args))
  }

  const result = additive()
  if (pos < tokens.length) throw new CalculatorError(`Unexpected${describe(peek())}.`)
  // Hide binary floating-point noise (0.1 + 0.2) without touching integers, and never return -0.
  return Number.isInteger(result) ? result + 0 : Number(result.toPrecision(15))
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new CalculatorError('The result is not a finite number.')
  return value
}

const describe = (t: Token | undefined) => (t ? ` near '${t.value}'` : ' at the end of the expression')
