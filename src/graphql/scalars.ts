import { GraphQLError, Kind } from 'graphql'
import { builder } from './builder.ts'

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'VALIDATION_FAILED', fields: [] } })

function parseDate(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalid('DateTime must be an ISO-8601 string with a time zone, e.g. 2026-01-31T12:00:00Z.')
  }
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) throw invalid('DateTime is not a valid date.')
  return d
}

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string in UTC (e.g. 2026-01-31T12:00:00.000Z).',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
})

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: () => {
    throw invalid('JSON values must be passed as variables.')
  },
})
