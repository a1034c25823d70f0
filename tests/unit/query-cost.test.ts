// The default cost limit must admit the catalog's ordinary nested read (the `S2` benchmark query), which loads in
// one SQL statement, and still refuse what multiplies beyond it.
import { parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { schema } from '../../src/graphql/index.ts'
import { checkOperation } from '../../src/limits/shape.ts'

const limits = loadConfig({ JWT_SECRET: 'query-cost-secret-query-cost-secret-0123' }).queryLimits
const check = (query: string) => checkOperation(limits, { schema, document: parse(query), context: {} })

describe('default QUERY_MAX_COST', () => {
  it('admits agents(first: 50) { tools { agents } }', () => {
    expect(check('{ agents(first: 50) { edges { node { id name tools { id name agents { id name } } } } } }')).toBeUndefined()
  })

  it('refuses one more level of nesting at the maximum page size', () => {
    const e = check('{ agents(first: 100) { edges { node { tools { agents { tools { agents { id } } } } } } } }')
    expect(e?.extensions.code).toBe('QUERY_TOO_COMPLEX')
  })
})
