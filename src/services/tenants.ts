// Tenants: the caller's own tenant. Tenants are created by sign-up (src/services/accounts.ts).
import type { Prisma } from '../generated/prisma/client.ts'
import type { Session } from './session.ts'

/** Plugin-prisma's selection for the row (relations the client asked for, loaded with it). */
export type TenantQuery = { include?: Prisma.TenantInclude }

/** The caller's tenant (the tenant-scoped client finds no other). */
export const getTenant = (s: Session, query: TenantQuery = {}) => s.db.client.tenant.findFirstOrThrow({ ...query })
