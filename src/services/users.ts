// Users: global accounts, read only as members of the caller's tenant. They are written by the authentication path.
import type { Prisma } from '../generated/prisma/client.ts'
import type { Session } from './session.ts'

/** Plugin-prisma's selection for the row (relations the client asked for, loaded with it). */
export type UserQuery = { include?: Prisma.UserInclude }

/** The calling user; null when the caller is an API key. */
export const getCurrentUser = (s: Session, query: UserQuery = {}) =>
  s.principal.kind === 'USER' ? s.db.client.user.findUnique({ ...query, where: { id: s.principal.userId } }) : null
