import { AuthScopeFailureType as Kind, type AuthFailure } from '@pothos/plugin-scope-auth'
import { describe, expect, it } from 'vitest'
import { failedScopeChecks, isForeignTenant } from '../../src/graphql/auth-failures.ts'

const check = (scope: string, parameter: unknown): AuthFailure => ({ kind: Kind.AuthScope, scope, parameter, error: null })

describe('scope-auth refusals', () => {
  it('finds the failed checks under nested $all / $any', () => {
    const failure: AuthFailure = {
      kind: Kind.AllAuthScopes,
      failures: [check('scope', 'TOOLS_READ'), { kind: Kind.AnyAuthScopes, failures: [check('self', 'u1'), { kind: Kind.AuthScopeFunction, error: null }] }],
    }
    expect(failedScopeChecks(failure).map((c) => [c.scope, c.parameter])).toEqual([['scope', 'TOOLS_READ'], ['self', 'u1']])
    expect(isForeignTenant(failure)).toBe(false)
  })

  it('recognises a tenant refusal wherever it is nested, and only an AuthScope check of that name', () => {
    expect(isForeignTenant(check('tenant', 't1'))).toBe(true)
    expect(isForeignTenant({ kind: Kind.AllAuthScopes, failures: [check('scope', 'AGENTS_READ'), check('tenant', 't1')] })).toBe(true)
    expect(isForeignTenant({ kind: Kind.GrantedScope, scope: 'tenant' })).toBe(false)
    expect(isForeignTenant(check('scope', 'tenant'))).toBe(false)
  })
})
