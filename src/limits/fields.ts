// Field-level rate limits through @envelop/rate-limiter, backed by the shared atomic LimitStore. The stock stores
// read the caller's timestamps and write them back (not atomic: concurrent calls all see room); this adapter makes
// getForIdentity a single atomic `consume` and setForIdentity a no-op, so a limit of N admits exactly N calls.
//
// Limits are configured by field name (FIELD_RATE_LIMITS, default `Mutation.runAgent=10/1m`), so they apply as soon
// as a field of that name exists in the schema. The plugin visits every field node of the operation: each alias
// (`{ a: f … b: f … }`) is a separate call and counts. A refusal stops the whole operation before execution with
// RATE_LIMITED (`retryAfter`); calls of that operation admitted before the refusal stay counted (never under-count).
import { useRateLimiter, type Identity } from '@envelop/rate-limiter'
import type { Plugin } from '@envelop/core'
import { BREAK, Kind, visit, type DocumentNode } from 'graphql'
import type { FieldRateLimit } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Metrics } from '../metrics.ts'
import { callerSubject, rateLimitedError, type Caller } from './requests.ts'
import type { LimitDecision, LimitStore } from './store.ts'

/** The store key of one field limit for one subject (exported for tests and operators). */
export const fieldLimitKey = (rule: Pick<FieldRateLimit, 'type' | 'field'>, subject: string) => `field:${rule.type}.${rule.field}:${subject}`

/**
 * The @envelop/rate-limiter store over a LimitStore. `refusals` remembers the decision behind each refusal for the
 * error's retryAfter (the plugin only passes a message string on).
 */
export function createFieldLimitStore(store: LimitStore, rules: FieldRateLimit[]) {
  const byField = new Map<string, FieldRateLimit>()
  for (const r of rules) {
    const other = byField.get(r.field)
    if (other && (other.type !== r.type)) throw new Error(`FIELD_RATE_LIMITS: field name ${r.field} is limited on two types (${other.type}, ${r.type}); limits are looked up by field name`)
    byField.set(r.field, r)
  }
  const refusals = new Map<string, LimitDecision>()
  const refusalKey = (i: Identity) => `${i.contextIdentity}\n${i.fieldIdentity}`
  return {
    refusals,
    refusalKey,
    async getForIdentity(identity: Identity): Promise<readonly number[]> {
      const rule = byField.get(identity.fieldIdentity)
      if (!rule) return []
      const d = await store.consume(fieldLimitKey(rule, identity.contextIdentity), rule.max, rule.windowMs)
      if (d.allowed) return []
      // Bounded: a refusal is read back in the same tick; anything left over is dropped long before this matters.
      if (refusals.size > 10_000) refusals.clear()
      refusals.set(refusalKey(identity), d)
      // The plugin refuses when (timestamps within the window) + 1 > max.
      return new Array<number>(rule.max).fill(Date.now())
    },
    setForIdentity() {
      // consume already recorded the admitted call, atomically.
    },
  }
}

/**
 * The envelop plugin enforcing FIELD_RATE_LIMITS on every operation whose context is a Caller (the principal and
 * client IP), whatever its transport. The stock plugin walks
 * every operation with a TypeInfo; documents that select no limited field name (most of them) skip it, decided once
 * per parsed document (yoga caches documents, so repeated queries share one).
 */
export function fieldLimitsPlugin(deps: { limits: LimitStore; metrics: Metrics }, rules: FieldRateLimit[]): Plugin<Caller> {
  const stock = stockPlugin(deps, rules)
  const names = new Set(rules.map((r) => r.field))
  const selects = new WeakMap<DocumentNode, boolean>()
  const selectsLimitedField = (document: DocumentNode) => {
    let found = selects.get(document)
    if (found === undefined) {
      found = false
      visit(document, {
        [Kind.FIELD](node) {
          if (!names.has(node.name.value)) return undefined
          found = true
          return BREAK
        },
      })
      selects.set(document, found)
    }
    return found
  }
  return {
    onExecute(payload) {
      if (selectsLimitedField(payload.args.document)) return stock.onExecute!(payload as never)
    },
  }
}

function stockPlugin(deps: { limits: LimitStore; metrics: Metrics }, rules: FieldRateLimit[]): Plugin<Caller> {
  const store = createFieldLimitStore(deps.limits, rules)
  return useRateLimiter({
    identifyFn: (ctx) => callerSubject(ctx as Caller),
    store,
    configByField: rules.map((r) => ({ type: r.type, field: r.field, max: r.max, window: `${r.windowMs}ms` })),
    // The plugin's message is the only thing that reaches transformError: carry the decision through it.
    formatError: ({ contextIdentity, fieldIdentity, fieldName }) => {
      const key = store.refusalKey({ contextIdentity, fieldIdentity: fieldIdentity ?? fieldName })
      const d = store.refusals.get(key)
      store.refusals.delete(key)
      return JSON.stringify({ field: fieldName, retryAfterMs: d?.retryAfterMs ?? 60_000 })
    },
    transformError: (message) => {
      deps.metrics.rateLimitRejections.inc({ reason: 'field' })
      let parsed: { field?: string; retryAfterMs?: number } = {}
      try {
        parsed = JSON.parse(message) as typeof parsed
      } catch {
        // a message not made by formatError above
      }
      const e = rateLimitedError({ retryAfterMs: parsed.retryAfterMs ?? 60_000 }, parsed.field ? `Too many calls to ${parsed.field}; retry later.` : undefined)
      return new AppError(e.code, e.message, { ...e.details, ...(parsed.field && { field: parsed.field }) })
    },
  }) as unknown as Plugin<Caller>
}
