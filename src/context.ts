// Per-operation context: who is calling, request metadata and the app's dependencies.
import type { Logger } from './logger.ts'
import type { Principal } from './auth/principal.ts'
import type { AppDeps, RequestMeta, Session } from './services/session.ts'

export interface Context extends RequestMeta {
  deps: AppDeps
  logger: Logger
  meta: RequestMeta
  /** Undefined for anonymous callers. Set by authentication, or by sign-up/login/refresh for the rest of that request. */
  principal?: Principal
}

/** Builds the context for one HTTP request or one WebSocket operation. */
export function createContext(deps: AppDeps, meta: RequestMeta, principal?: Principal): Context {
  return { ...meta, meta, deps, principal, logger: deps.logger.child({ requestId: meta.requestId }) }
}

/** The caller's session, for services; resolvers that reach here are guarded by an `authenticated` scope. */
export function sessionOf(ctx: Context): Session {
  if (!ctx.principal) throw new Error('sessionOf called without a principal (missing authScopes?)')
  return { deps: ctx.deps, meta: ctx.meta, principal: ctx.principal, db: ctx.deps.db.forTenant(ctx.principal.tenantId) }
}
