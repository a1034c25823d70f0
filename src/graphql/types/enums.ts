import { allScopes } from '../../auth/scopes.ts'
import { builder } from '../builder.ts'

export const ScopeEnum = builder.enumType('Scope', { values: allScopes, description: 'A permission; roles grant sets of scopes, API keys carry their own.' })
export const RoleEnum = builder.enumType('Role', { values: ['OWNER', 'ADMIN', 'DEVELOPER', 'VIEWER'] as const })
export const PlanTierEnum = builder.enumType('PlanTier', { values: ['FREE', 'PRO', 'ENTERPRISE'] as const })
export const PrincipalKindEnum = builder.enumType('PrincipalKind', { values: ['USER', 'API_KEY'] as const })
