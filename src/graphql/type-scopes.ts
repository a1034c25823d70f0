// The type-level check of a tenant-owned type: the row belongs to the caller's tenant (and, when given, the caller
// holds `scope`). Pothos calls a type's authScopes for every row, then evaluates the map it returns; it caches that
// evaluation per request by the map's identity. Returning one map per tenant (instead of a new object per row) keeps
// the check on every row while the scope loaders run once per type and request: a page of 50 agents with their
// tools was ~650 evaluations.
import type { Scope } from '../generated/prisma/enums.ts'

type TenantScopes = { tenant: string } | { $all: { tenant: string; scope: Scope } }

const MAX_TENANTS = 1_000

/** The authScopes function for a type whose rows carry `tenantId`. */
export function tenantRowScopes(scope?: Scope) {
  const byTenant = new Map<string, TenantScopes>()
  return (row: { tenantId: string | null }): TenantScopes => {
    // A row without a tenant (an audit entry of no tenant) matches no caller.
    const tenantId = row.tenantId ?? ''
    let map = byTenant.get(tenantId)
    if (!map) {
      if (byTenant.size >= MAX_TENANTS) byTenant.delete(byTenant.keys().next().value!)
      map = scope ? { $all: { tenant: tenantId, scope } } : { tenant: tenantId }
      byTenant.set(tenantId, map)
    }
    return map
  }
}
