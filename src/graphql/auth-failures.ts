// Scope-auth refusals read by their structure (each failure's `kind` and `scope`), never by their serialised text.
import { AuthScopeFailureType, type AuthFailure, type AuthScopeFailure } from '@pothos/plugin-scope-auth'

/** Every scope check that failed in a refusal, however deeply nested under `$all` / `$any`. */
export function failedScopeChecks(failure: AuthFailure): AuthScopeFailure[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure]
    case AuthScopeFailureType.AllAuthScopes:
    case AuthScopeFailureType.AnyAuthScopes:
      return failure.failures.flatMap(failedScopeChecks)
    default:
      return []
  }
}

/** The refused object belongs to another tenant: its type-level `tenant` scope failed. */
export const isForeignTenant = (failure: AuthFailure) => failedScopeChecks(failure).some((check) => check.scope === 'tenant')
