// inputSchema validation at registration, argument validation at call time.
import AjvCore from 'ajv/dist/core.js'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { validateArguments, validateInputSchema } from '../../src/tools/schema.ts'
import { unsafePattern } from '../../src/tools/schema-patterns.ts'

const weather = {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 1 },
    days: { type: 'integer', minimum: 1, maximum: 14 },
    units: { enum: ['metric', 'imperial'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['city'],
  additionalProperties: false,
}

const nested = (levels: number) => {
  let schema: Record<string, unknown> = { type: 'object' }
  for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { x: schema } }
  return schema
}

describe('validateInputSchema', () => {
  it.each([
    ['an object schema', weather],
    ['an empty object schema', { type: 'object' }],
    ['unknown keywords (provider extensions)', { type: 'object', 'x-ui': { order: 1 }, properties: { a: { type: 'string', example: 'x' } } }],
    ['explicit draft-07', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }],
    ['2020-12 with prefixItems', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { p: { type: 'array', prefixItems: [{ type: 'string' }] } } }],
    ['local $ref', { type: 'object', properties: { a: { $ref: '#/definitions/a' } }, definitions: { a: { type: 'string' } } }],
    ['a safe pattern', { type: 'object', properties: { d: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } } }],
  ])('accepts %s', (_name, schema) => {
    expect(validateInputSchema(schema)).toEqual([])
  })

  it.each([
    ['type banana', { type: 'banana' }, 'inputSchema.type', /allowed values/],
    ['a nested invalid type', { type: 'object', properties: { x: { type: 'banana' } } }, 'inputSchema.properties.x.type', /allowed values/],
    ['properties: 5', { type: 'object', properties: 5 }, 'inputSchema.properties', /must be object/],
    ['required: "city"', { type: 'object', required: 'city' }, 'inputSchema.required', /must be array/],
    ['a non-object root', { type: 'string' }, 'inputSchema.type', /must be 'object'/],
    ['no type', { properties: {} }, 'inputSchema.type', /must be 'object'/],
    ['an array', [], 'inputSchema', /JSON Schema object/],
    ['a string', 'object', 'inputSchema', /JSON Schema object/],
    ['null', null, 'inputSchema', /JSON Schema object/],
    ['an unknown $schema', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }, 'inputSchema.$schema', /must be one of/],
    ['an unresolvable $ref', { type: 'object', properties: { a: { $ref: '#/definitions/nope' } } }, 'inputSchema', /cannot be compiled.*nope/],
    ['a remote $ref (never fetched)', { type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }, 'inputSchema', /cannot be compiled/],
    ['an invalid regex', { type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, 'inputSchema.properties.a.pattern', /not a valid regular expression/],
    ['a catastrophic regex', { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }, 'inputSchema.properties.a.pattern', /exponential/],
    ['a catastrophic patternProperties key', { type: 'object', patternProperties: { '(x|y)*': {} } }, 'inputSchema.patternProperties.(x|y)*', /exponential/],
    ['a regex hidden behind $ref', { type: 'object', 'x-h': { pattern: '(\\w+)*$' }, properties: { a: { $ref: '#/x-h' } } }, 'inputSchema.x-h.pattern', /exponential/],
    ['too deep', nested(25), 'inputSchema', /nested more than 20 levels/],
    ['over 64 KiB', { type: 'object', description: 'x'.repeat(70_000) }, 'inputSchema', /larger than 64 KiB/],
  ])('rejects %s', (_name, schema, path, message) => {
    const problems = validateInputSchema(schema)
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0]!.path).toBe(path)
    expect(problems[0]!.message).toMatch(message)
  })

  it('reports several problems, one per path', () => {
    const problems = validateInputSchema({ type: 'object', properties: { a: { type: 'nope' }, b: { minLength: -1 } } })
    expect(problems.map((p) => p.path).sort()).toEqual(['inputSchema.properties.a.type', 'inputSchema.properties.b.minLength'])
  })

  it("keeps tenants' $ids apart (each schema compiles in isolation)", () => {
    const a = { $id: 'https://shared.example/s', type: 'object', properties: { v: { type: 'string' } } }
    const b = { $id: 'https://shared.example/s', type: 'object', properties: { v: { type: 'number' } } }
    expect(validateInputSchema(a)).toEqual([])
    expect(validateInputSchema(b)).toEqual([]) // no "already exists" collision
    const refToA = { type: 'object', properties: { v: { $ref: 'https://shared.example/s' } } }
    expect(validateInputSchema(refToA)[0]?.message).toMatch(/cannot be compiled/) // cannot reach another tenant's schema
    expect(validateArguments(b, { v: 1 })).toEqual([])
    expect(validateArguments(a, { v: 1 })[0]?.path).toBe('arguments.v')
  })

  it('passes ordinary patterns and refuses ambiguous repetition', () => {
    for (const ok of ['^[a-z]+$', '^(\\d{3},)*\\d{3}$', '^(?:ab)+$', '^\\p{L}+$', '(a+)?']) expect(unsafePattern(ok)).toBeNull()
    for (const bad of ['(a+)+', '(a*)*', '(a?)+', '((a+)?)+', '(\\w|\\d)+', '(a)\\1', '(?<n>x)\\k<n>', 'a'.repeat(600)]) {
      expect(unsafePattern(bad)).not.toBeNull()
    }
  })
})

describe('validateArguments', () => {
  it('accepts valid arguments', () => {
    expect(validateArguments(weather, { city: 'Paris', days: 3, units: 'metric', tags: ['a'] })).toEqual([])
  })

  it.each([
    [{}, 'arguments.city', /is required/],
    [{ city: 42 }, 'arguments.city', /must be string/],
    [{ city: 'Paris', days: 0 }, 'arguments.days', /must be >= 1/],
    [{ city: 'Paris', days: 1.5 }, 'arguments.days', /must be integer/],
    [{ city: 'Paris', units: 'kelvin' }, 'arguments.units', /"metric", "imperial"/],
    [{ city: 'Paris', tags: ['a', 2] }, 'arguments.tags.1', /must be string/],
    [{ city: 'Paris', extra: true }, 'arguments.extra', /is not allowed/],
    ['Paris', 'arguments', /must be object/],
  ])('names the field for %j', (args, path, message) => {
    const problems = validateArguments(weather, args)
    expect(problems[0]).toEqual({ path, message: expect.stringMatching(message) })
  })

  it('treats format as an annotation (no format vocabulary installed)', () => {
    expect(validateArguments({ type: 'object', properties: { e: { type: 'string', format: 'email' } } }, { e: 'not an email' })).toEqual([])
  })

  it('reuses compiled validators for equal schemas loaded as new objects', () => {
    const copy = () => structuredClone(weather)
    expect(validateArguments(copy(), { city: 'x' })).toEqual([]) // warm: compiled once
    const compile = vi.spyOn(AjvCore.prototype, 'compile')
    onTestFinished(() => compile.mockRestore())
    for (let i = 0; i < 20; i++) expect(validateArguments(copy(), { city: i % 2 ? 'x' : 1 }).length).toBe(i % 2 ? 0 : 1)
    expect(compile).not.toHaveBeenCalled()
    validateArguments({ ...copy(), description: 'another schema' }, { city: 'x' })
    expect(compile).toHaveBeenCalled()
  })

  it('throws INVALID_TOOL when the stored schema is unusable', () => {
    expect(() => validateArguments({ type: 'banana' }, {})).toThrow(expect.objectContaining({ code: 'INVALID_TOOL' }))
    expect(() => validateArguments({ type: 'object', properties: { a: { pattern: '(a+)+' } } }, {})).toThrow(/inputSchema.properties.a.pattern/)
  })
})
