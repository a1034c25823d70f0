// Type-level tenant checks return one scope map per tenant, so Pothos (which caches a map's evaluation per request by
// its identity) evaluates them once per type and request instead of once per row; the map itself is unchanged.
import { describe, expect, it } from 'vitest'
import { tenantRowScopes } from '../../src/graphql/type-scopes.ts'

describe('tenantRowScopes', () => {
  it('gives every row of a tenant the same map, and other tenants their own', () => {
    const scopes = tenantRowScopes('TOOLS_READ')
    const a1 = scopes({ tenantId: 'a' })
    expect(scopes({ tenantId: 'a' })).toBe(a1)
    expect(a1).toEqual({ $all: { tenant: 'a', scope: 'TOOLS_READ' } })
    expect(scopes({ tenantId: 'b' })).toEqual({ $all: { tenant: 'b', scope: 'TOOLS_READ' } })
    expect(scopes({ tenantId: 'b' })).not.toBe(a1)
  })

  it('checks only the tenant without a scope, and a row of no tenant matches no caller', () => {
    const scopes = tenantRowScopes()
    expect(scopes({ tenantId: 'a' })).toEqual({ tenant: 'a' })
    expect(scopes({ tenantId: null })).toEqual({ tenant: '' })
  })
})
