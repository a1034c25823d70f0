// JSON Schema checks for tools: is a tenant's `inputSchema` a usable schema (at registration), and do a call's
// arguments satisfy it (at call time). Schemas are untrusted input, which shapes everything here:
// - meta-validation runs on shared instances that only ever *validate data* against the official meta-schemas;
// - each tenant schema compiles in its own throw-away ajv instance, because ajv registers every `$id` it sees
//   instance-wide: on a shared one, tenant B's `$ref` could resolve to tenant A's schema (or collide with it);
// - size, depth and regular expressions are bounded before ajv touches the schema (ajv's own advice).
import { createHash } from 'node:crypto'
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { FieldProblem } from '../errors.ts'
import { ToolCallError } from './errors.ts'
import { checkJsonBounds } from './json-bounds.ts'
import { patternProblems } from './schema-patterns.ts'

export const SCHEMA_LIMITS = { maxBytes: 64 * 1024, maxDepth: 20 }
const MAX_PROBLEMS = 10
const CACHE_SIZE = 500

// `$schema` values we accept; absent means draft-07 (what most model providers' tool schemas are written in).
const DIALECTS = {
  'http://json-schema.org/draft-07/schema': Ajv,
  'https://json-schema.org/draft/2020-12/schema': Ajv2020,
} as const
type DialectUri = keyof typeof DIALECTS
// strict: false lets unknown keywords (`x-…`, provider extensions) through; validateFormats: false because no format
// vocabulary is installed, so `format` is an annotation; allErrors stays false for tenant schemas (ajv's DoS advice).
const COMPILE_OPTIONS: Options = { strict: false, validateFormats: false, logger: false, meta: false, validateSchema: false }
const metaValidators = new Map(
  Object.entries(DIALECTS).map(([uri, Dialect]) => [uri, new Dialect({ strict: false, allErrors: true, logger: false })]),
)

/** Problems that make `schema` unusable as a tool's inputSchema (empty when it is a valid, bounded object schema). */
export function validateInputSchema(schema: unknown, path = 'inputSchema'): FieldProblem[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ path, message: 'must be a JSON Schema object' }]
  }
  const outOfBounds = checkJsonBounds(schema, SCHEMA_LIMITS)
  if (outOfBounds) return [{ path, message: outOfBounds }]
  const dialect = dialectOf(schema)
  if (!dialect) return [{ path: `${path}.$schema`, message: `must be one of ${Object.keys(DIALECTS).join(', ')}, or absent` }]
  const meta = metaValidators.get(dialect)!
  if (!meta.validateSchema(schema)) return toProblems(meta.errors ?? [], path)
  if ((schema as Record<string, unknown>).type !== 'object') {
    return [{ path: `${path}.type`, message: "must be 'object': tool arguments are a JSON object" }]
  }
  const patterns = patternProblems(schema, path)
  if (patterns.length) return patterns.slice(0, MAX_PROBLEMS)
  try {
    compile(schema, dialect)
  } catch (e) {
    // e.g. an unresolvable $ref; ajv's message names the reference, which is the tenant's own text.
    return [{ path, message: `cannot be compiled: ${(e as Error).message}`.slice(0, 500) }]
  }
  return []
}

/**
 * Problems with `args` under `schema`, with paths such as `arguments.city`. Throws ToolCallError INVALID_TOOL when
 * the schema itself is unusable (stored before a rule tightened, or never validated).
 */
export function validateArguments(schema: unknown, args: unknown, path = 'arguments'): FieldProblem[] {
  const validate = validatorFor(schema)
  if (validate(args)) return []
  return toProblems(validate.errors ?? [], path)
}

// Compiled validators by content hash, least recently used evicted first: a schema loaded from the database is a
// new object on every call, so object identity would never hit.
const cache = new Map<string, ValidateFunction>()

function validatorFor(schema: unknown): ValidateFunction {
  const key = createHash('sha256').update(JSON.stringify(schema) ?? 'undefined').digest('base64url')
  const hit = cache.get(key)
  if (hit) {
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const problems = validateInputSchema(schema)
  if (problems.length) {
    const first = problems[0]!
    throw new ToolCallError('INVALID_TOOL', `The tool's inputSchema is not usable (${first.path}: ${first.message}).`)
  }
  const validate = compile(schema as object, dialectOf(schema as object)!)
  cache.set(key, validate)
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!)
  return validate
}

function compile(schema: object, dialect: DialectUri): ValidateFunction {
  return new DIALECTS[dialect](COMPILE_OPTIONS).compile(schema)
}

function dialectOf(schema: object): DialectUri | undefined {
  const declared = (schema as Record<string, unknown>).$schema
  if (declared === undefined) return 'http://json-schema.org/draft-07/schema'
  if (typeof declared !== 'string') return undefined
  const uri = declared.replace(/#$/, '')
  return uri in DIALECTS ? (uri as DialectUri) : undefined
}

// ajv errors → FieldProblems: one per path (the first, most specific message), at most MAX_PROBLEMS.
function toProblems(errors: ErrorObject[], base: string): FieldProblem[] {
  const byPath = new Map<string, string>()
  for (const e of errors) {
    let path = base + e.instancePath.split('/').slice(1).map((s) => `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`).join('')
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'required') {
      path += `.${(e.params as { missingProperty: string }).missingProperty}`
      message = 'is required'
    }
    if (e.keyword === 'additionalProperties') {
      path += `.${(e.params as { additionalProperty: string }).additionalProperty}`
      message = 'is not allowed'
    }
    if (e.keyword === 'enum') message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    if (!byPath.has(path)) byPath.set(path, message)
  }
  return [...byPath].slice(0, MAX_PROBLEMS).map(([path, message]) => ({ path, message }))
}
