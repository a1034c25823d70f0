// Built-in handlers: echo, the calculator's grammar and its refusals, current_time with a fixed clock.
import { describe, expect, it } from 'vitest'
import { builtinHandlers, builtinNames, isBuiltinHandler, type BuiltinHandler } from '../../src/tools/builtin.ts'
import { CalculatorError, evaluate } from '../../src/tools/calculator.ts'
import { ToolCallError } from '../../src/tools/errors.ts'

const ctx = (now?: () => Date) => ({ signal: new AbortController().signal, now })
const handler = (name: string): BuiltinHandler => builtinHandlers.get(name)!

describe('builtin registry', () => {
  it('lists echo, calculator and current_time, and is read-only at run time', () => {
    expect(builtinNames()).toEqual(['calculator', 'current_time', 'echo'])
    expect(isBuiltinHandler('echo')).toBe(true)
    expect(isBuiltinHandler('constructor')).toBe(false)
    expect(isBuiltinHandler('toString')).toBe(false)
    const map = builtinHandlers as Map<string, BuiltinHandler>
    expect(() => map.set('evil', handler('echo'))).toThrow(TypeError)
    expect(() => map.delete('echo')).toThrow(TypeError)
    expect(isBuiltinHandler('evil')).toBe(false)
    expect(() => ((handler('echo') as { run: unknown }).run = null)).toThrow(TypeError)
  })
})

describe('echo', () => {
  it('returns its text', async () => {
    await expect(handler('echo').run({ text: 'hi there' }, ctx())).resolves.toEqual({ text: 'hi there' })
  })
})

describe('calculator', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 ^ 3 ^ 2', 512],
    ['2 ** 10', 1024],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['-(2 + 3) * 2', -10],
    ['7 % 4', 3],
    ['1.5e3 / .5', 3000],
    ['0.1 + 0.2', 0.3],
    ['sqrt(16) + abs(-3)', 7],
    ['min(4, 2, 8) + max(1, 9)', 11],
    ['round(2.5) + floor(1.9) + ceil(1.1)', 6],
    ['log(1000) + ln(e)', 4],
    ['2 * pi', 2 * Math.PI],
    ['  3  ', 3],
    ['-0', 0],
  ])('%s = %d', (expression, expected) => {
    expect(evaluate(expression)).toBeCloseTo(expected, 12)
  })

  it.each([
    ['1 / 0', /division by zero/i],
    ['5 % 0', /modulo by zero/i],
    ['10 ^ 400', /not a finite number/],
    ['1e999', /not a finite number/],
    ['sqrt(-1)', /not a finite number/],
    ['', /empty/],
    ['1 +', /end of the expression/],
    ['(1 + 2', /Expected '\)'/],
    ['1 2', /Unexpected/],
    ['2 $ 3', /Unexpected character '\$'/],
    ['process.exit()', /Unexpected character '\.'/],
    ['process', /Unknown name 'process'/],
    ['constructor', /Unknown name 'constructor'/],
    ['__proto__', /Unknown name '__proto__'/],
    ['toString(1)', /Unknown name 'toString'/],
    ['this.constructor.constructor("return process")()', /Unexpected character '\.'/],
    ['constructor("return process")', /Unexpected character '"'/],
    ['constructor(1)', /Unknown name 'constructor'/],
    ['sqrt(1, 2)', /sqrt takes 1 argument/],
    ['"1" + 1', /Unexpected character '"'/],
    ['('.repeat(40) + '1' + ')'.repeat(40), /nested more than 32/],
    ['-'.repeat(100) + '1', /nested more than 32/],
    ['1+'.repeat(600) + '1', /longer than 1000/],
  ])('refuses %s', (expression, message) => {
    expect(() => evaluate(expression)).toThrow(CalculatorError)
    expect(() => evaluate(expression)).toThrow(message)
  })

  it('reports refusals as INVALID_ARGUMENTS tool errors', async () => {
    const err = await handler('calculator').run({ expression: '1/0' }, ctx()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ToolCallError)
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENTS', retryable: false, message: expect.stringMatching(/Division by zero/) })
    await expect(handler('calculator').run({ expression: '6*7' }, ctx())).resolves.toEqual({ result: 42 })
  })
})

describe('current_time', () => {
  const fixed = () => new Date('2024-07-01T12:34:56.789Z')

  it('defaults to UTC', async () => {
    await expect(handler('current_time').run({}, ctx(fixed))).resolves.toEqual({
      iso: '2024-07-01T12:34:56.789Z', timezone: 'UTC', epochMs: Date.parse('2024-07-01T12:34:56.789Z'),
    })
  })

  it.each([
    ['Europe/Paris', '2024-07-01T14:34:56.789+02:00'],
    ['America/New_York', '2024-07-01T08:34:56.789-04:00'],
    ['Asia/Kolkata', '2024-07-01T18:04:56.789+05:30'],
  ])('gives local time with offset in %s', async (timezone, iso) => {
    await expect(handler('current_time').run({ timezone }, ctx(fixed))).resolves.toEqual({ iso, timezone, epochMs: fixed().getTime() })
  })

  it('follows daylight saving time', async () => {
    const winter = () => new Date('2024-01-15T12:00:00Z')
    await expect(handler('current_time').run({ timezone: 'Europe/Paris' }, ctx(winter))).resolves.toMatchObject({ iso: '2024-01-15T13:00:00.000+01:00' })
  })

  it('rejects an unknown time zone', async () => {
    await expect(handler('current_time').run({ timezone: 'Mars/Olympus_Mons' }, ctx(fixed))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENTS', message: expect.stringMatching(/Unknown time zone "Mars\/Olympus_Mons"/),
    })
  })
})
