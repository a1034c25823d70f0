// Roles map to scopes; scopes are what every authorization check asks for.
import type { Role, Scope } from '../generated/prisma/enums.ts'

export const allScopes: readonly Scope[] = [
  'TOOLS_READ', 'TOOLS_WRITE', 'AGENTS_READ', 'AGENTS_WRITE', 'EXECUTIONS_RUN', 'EXECUTIONS_READ', 'AUDIT_READ',
  'KEYS_MANAGE', 'MEMBERS_MANAGE', 'TENANT_ADMIN', 'WEBHOOKS_MANAGE',
]

export const roleScopes: Record<Role, readonly Scope[]> = {
  OWNER: allScopes,
  ADMIN: allScopes.filter((s) => s !== 'TENANT_ADMIN'),
  DEVELOPER: ['TOOLS_READ', 'TOOLS_WRITE', 'AGENTS_READ', 'AGENTS_WRITE', 'EXECUTIONS_RUN', 'EXECUTIONS_READ', 'KEYS_MANAGE'],
  VIEWER: ['TOOLS_READ', 'AGENTS_READ', 'EXECUTIONS_READ'],
}

/** Scopes a role grants. */
export const scopesOf = (role: Role): ReadonlySet<Scope> => new Set(roleScopes[role])
