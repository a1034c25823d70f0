// Request rate limits, the same for HTTP and WebSocket operations: a sliding 60 s window per principal (a user in a
// tenant, or an API key) sized by the tenant's plan, a tenant-wide window of that size times
// RATE_LIMIT_TENANT_MULTIPLIER, and a window per client IP for callers without credentials. Every decision is one
// atomic LimitStore call, so with limit L exactly L of any number of concurrent requests are admitted.
import { getOperationAST, parse, type DocumentNode } from 'graphql'
import { principalId, type Principal } from '../auth/principal.ts'
import type { Config, Plan } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Metrics, RejectionReason } from '../metrics.ts'
import type { PlanCache } from './plans.ts'
import type { LimitDecision, LimitRule, LimitStore } from './store.ts'

export const REQUEST_WINDOW_MS = 60_000

/**
 * Root fields that never count against a tenant or the request budget: they have their own per-IP budget
 * (src/services/throttle.ts) and are how a caller gets credentials in the first place.
 */
export const AUTH_MUTATIONS: ReadonlySet<string> = new Set(['signUp', 'login', 'refreshToken', 'acceptInvitation'])

/** Who is calling, as far as limits are concerned. */
export interface Caller {
  principal?: Principal
  ip?: string
}

/** The subject of per-caller limits (fields, subscriptions): the principal (per tenant), else the client IP. */
export const callerSubject = ({ principal, ip }: Caller) =>
  principal ? `p:${principal.tenantId}:${principalId(principal)}` : `ip:${ip ?? 'unknown'}`

/** A decision as reported to clients (X-RateLimit-* headers, Retry-After). */
export interface LimitReport extends LimitDecision {
  /** Which window decided: the principal's, the tenant's or the client IP's. */
  scope: 'principal' | 'tenant' | 'anonymous'
}

/** A refusal: RATE_LIMITED with `retryAfter` (whole seconds, at least 1). */
export const rateLimitedError = (d: Pick<LimitDecision, 'retryAfterMs'>, message = 'Too many requests; retry later.') =>
  new AppError('RATE_LIMITED', message, { retryAfter: Math.max(1, Math.ceil(d.retryAfterMs / 1000)) })

/** Sets the X-RateLimit-* headers for a decision (Reset: seconds until the window holds no counted request). */
export function setRateLimitHeaders(headers: Headers, r: Pick<LimitDecision, 'limit' | 'remaining' | 'resetMs'>): void {
  headers.set('X-RateLimit-Limit', String(r.limit))
  headers.set('X-RateLimit-Remaining', String(Math.max(0, r.remaining)))
  headers.set('X-RateLimit-Reset', String(Math.ceil(Math.max(0, r.resetMs) / 1000)))
}

export interface RequestLimiter {
  /**
   * Counts one request for `caller` and returns the decision to report; throws RATE_LIMITED (or SERVICE_UNAVAILABLE
   * when the store is down and failing closed). `onDecision` sees the decision before a refusal is thrown.
   * Undefined when the caller is unlimited (limits disabled, or an unlimited plan without tenant limit).
   */
  consume(caller: Caller, onDecision?: (r: LimitReport) => void): Promise<LimitReport | undefined>
  /** The caller's current state without counting (headers of responses that were not counted). */
  peek(caller: Caller): Promise<LimitReport | undefined>
  /** The per-minute limits that apply to `caller` (null = unlimited). */
  limitsFor(caller: Caller): Promise<{ principal: number | null; tenant: number | null; anonymous: number | null }>
}

interface Rule extends LimitRule {
  scope: LimitReport['scope']
}

/** Builds the limiter on the shared store. */
export function createRequestLimiter(deps: { config: Config; limits: LimitStore; plans: PlanCache; metrics: Metrics }): RequestLimiter {
  const { config, limits, plans, metrics } = deps
  const { perMinute, tenantMultiplier, anonymousPerMinute } = config.limits

  const none: Rule[] = []
  const principalRules = (p: Principal, plan: Plan): Rule[] => {
    const perPrincipal = perMinute[plan]
    if (perPrincipal === null) return none
    const rules: Rule[] = [{ key: `req:p:${p.tenantId}:${principalId(p)}`, limit: perPrincipal, windowMs: REQUEST_WINDOW_MS, scope: 'principal' }]
    if (tenantMultiplier > 0) rules.push({ key: `req:t:${p.tenantId}`, limit: perPrincipal * tenantMultiplier, windowMs: REQUEST_WINDOW_MS, scope: 'tenant' })
    return rules
  }
  // Synchronous unless a plan must be looked up: this runs on every request.
  const rulesFor = (caller: Caller): Rule[] | Promise<Rule[]> => {
    if (!config.limits.enabled) return none
    const p = caller.principal
    if (!p) return [{ key: `req:ip:${caller.ip ?? 'unknown'}`, limit: anonymousPerMinute, windowMs: REQUEST_WINDOW_MS, scope: 'anonymous' }]
    const plan = plans.cachedPlanOf(p.tenantId)
    return plan ? principalRules(p, plan) : plans.planOf(p.tenantId).then((loaded) => principalRules(p, loaded))
  }

  // The report is the tighter window: the one with the fewest requests left.
  const tighter = (a: LimitReport | undefined, b: LimitReport) => (!a || b.remaining < a.remaining ? b : a)

  const refuse = (reason: RejectionReason) => metrics.rateLimitRejections.inc({ reason })

  return {
    async consume(caller, onDecision) {
      const pending = rulesFor(caller)
      const rules = Array.isArray(pending) ? pending : await pending
      if (!rules.length) return undefined
      let decisions: LimitDecision[]
      try {
        // Principal and tenant windows as one atomic decision (one Redis round trip): a request refused by either
        // is counted in neither.
        decisions = rules.length === 1
          ? [await limits.consume(rules[0]!.key, rules[0]!.limit, REQUEST_WINDOW_MS)]
          : await limits.consumeAll(rules)
      } catch (e) {
        if (e instanceof AppError && e.code === 'SERVICE_UNAVAILABLE') {
          refuse('unavailable')
          // Nothing is known about the window: report it as closed for the Retry-After the error carries.
          const retryAfterMs = (Number(e.details.retryAfter) || 1) * 1000
          onDecision?.({ allowed: false, limit: rules[0]!.limit, remaining: 0, retryAfterMs, resetMs: retryAfterMs, scope: rules[0]!.scope })
        }
        throw e
      }
      let report: LimitReport | undefined
      let refused: LimitReport | undefined
      for (let i = 0; i < rules.length; i++) {
        const r: LimitReport = { ...decisions[i]!, scope: rules[i]!.scope }
        if (!r.allowed && (!refused || r.retryAfterMs > refused.retryAfterMs)) refused = r
        report = tighter(report, r)
      }
      if (refused) {
        onDecision?.(refused)
        refuse(refused.scope)
        throw rateLimitedError(refused)
      }
      if (report) onDecision?.(report)
      return report
    },
    async peek(caller) {
      let report: LimitReport | undefined
      for (const rule of await rulesFor(caller)) {
        const d = await limits.peek(rule.key, rule.limit, REQUEST_WINDOW_MS)
        // A peek answers "would one more be admitted"; report what is left, as after a counted request.
        report = tighter(report, { ...d, scope: rule.scope })
      }
      return report
    },
    async limitsFor(caller) {
      const rules = await rulesFor(caller)
      const of = (scope: Rule['scope']) => rules.find((r) => r.scope === scope)?.limit ?? null
      return { principal: of('principal'), tenant: of('tenant'), anonymous: of('anonymous') }
    },
  }
}

/** True when the selected operation only calls authentication mutations (which never count; see AUTH_MUTATIONS). */
export function isAuthOnlyOperation(document: DocumentNode, operationName?: string | null): boolean {
  const op = getOperationAST(document, operationName)
  if (!op || op.operation !== 'mutation' || !op.selectionSet.selections.length) return false
  return op.selectionSet.selections.every((s) => s.kind === 'Field' && AUTH_MUTATIONS.has(s.name.value))
}

const subscriptionCache = new Map<string, boolean>()

/**
 * Whether a query string selects a subscription operation (parsed only when it mentions `subscription`; the answers
 * are cached, bounded). Streams are admitted on the fail-open view of the limit store.
 */
export function isSubscriptionQuery(query: unknown, operationName: unknown, maxTokens: number): boolean {
  if (typeof query !== 'string' || !query.includes('subscription')) return false
  const cacheKey = `${typeof operationName === 'string' ? operationName : ''}\n${query}`
  let found = subscriptionCache.get(cacheKey)
  if (found === undefined) {
    try {
      found = getOperationAST(parse(query, { noLocation: true, maxTokens }), typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription'
    } catch {
      found = false
    }
    if (subscriptionCache.size >= 1_000) subscriptionCache.delete(subscriptionCache.keys().next().value!)
    subscriptionCache.set(cacheKey, found)
  }
  return found
}

const mentionsAuth = new RegExp(`\\b(${[...AUTH_MUTATIONS].join('|')})\\b`)
const exemptCache = new Map<string, boolean>()

/**
 * isAuthOnlyOperation for a query string, before the pipeline parses it (HTTP counts requests before parsing, so
 * malformed and over-complex requests count too). Only documents that mention an auth mutation are parsed; the
 * answers are cached (bounded).
 */
export function isAuthOnlyQuery(query: unknown, operationName: unknown, maxTokens: number): boolean {
  if (typeof query !== 'string' || !mentionsAuth.test(query)) return false
  const cacheKey = `${typeof operationName === 'string' ? operationName : ''}\n${query}`
  let exempt = exemptCache.get(cacheKey)
  if (exempt === undefined) {
    try {
      exempt = isAuthOnlyOperation(parse(query, { noLocation: true, maxTokens }), typeof operationName === 'string' ? operationName : undefined)
    } catch {
      exempt = false // the pipeline reports the syntax error; the request counts
    }
    if (exemptCache.size >= 1_000) exemptCache.delete(exemptCache.keys().next().value!)
    exemptCache.set(cacheKey, exempt)
  }
  return exempt
}
