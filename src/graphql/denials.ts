// Refused mutations are audited with outcome DENIED, under the action each mutation declares (./audit-actions.ts).
// The entry is started where scope-auth refuses (the builder's unauthorizedError, which has the context and the
// field) and written in its own transaction in the principal's tenant; the plugin below holds the response until it
// is committed, so a client that was refused can already find the entry. Anonymous callers have no tenant: they are
// logged, not audited (see docs/audit.md).
import type { AuthFailure } from '@pothos/plugin-scope-auth'
import type { GraphQLResolveInfo } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.ts'
import { recordDenied } from '../services/audit.ts'
import { auditActionOf } from './audit-actions.ts'
import { failedScopeChecks } from './auth-failures.ts'

const pending = new WeakMap<object, Map<string, Promise<unknown>>>()

/** Scope names a refusal asked for (what the caller lacked), for the entry's metadata. */
const missingScopes = (failure: AuthFailure) =>
  [...new Set(failedScopeChecks(failure).map((check) => (check.scope === 'scope' ? String(check.parameter) : check.scope)))]

/** Starts the DENIED entry for a refused root mutation field (once per field and request: aliases do not multiply). */
export function auditDenial(ctx: Context, info: GraphQLResolveInfo, failure: AuthFailure) {
  if (info.operation.operation !== 'mutation' || info.path.prev !== undefined) return
  if (!ctx.principal) {
    ctx.logger.info({ field: info.fieldName }, 'anonymous mutation refused')
    return
  }
  const writes = pending.get(ctx) ?? new Map<string, Promise<unknown>>()
  pending.set(ctx, writes)
  if (writes.has(info.fieldName)) return
  const event = { action: auditActionOf(info), metadata: { field: info.fieldName, missing: missingScopes(failure) } }
  writes.set(info.fieldName, recordDenied(ctx.deps.db, ctx.principal, ctx.meta, event).catch((err: unknown) => ctx.logger.error({ err }, 'could not audit a refused mutation')))
}

/** Envelop plugin: the response of an operation waits for its DENIED entries to be committed. */
export const denialAuditPlugin: Plugin = {
  onExecute: () => ({
    onExecuteDone: async ({ args }) => {
      const writes = pending.get(args.contextValue as object)
      if (writes) await Promise.all(writes.values())
    },
  }),
}
