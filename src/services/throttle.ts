// Brute-force protection for the unauthenticated endpoints: a budget per client IP (sign-up, login, refresh,
// invitations; never counted against a tenant) and a budget of failed logins per account.
import { AppError } from '../errors.ts'
import type { AppDeps, RequestMeta } from './session.ts'
import type { LimitDecision } from '../limits/store.ts'

export const rateLimited = (d: Pick<LimitDecision, 'retryAfterMs'>) =>
  new AppError('RATE_LIMITED', 'Too many requests; retry later.', { retryAfter: Math.max(1, Math.ceil(d.retryAfterMs / 1000)) })

/** Spends one unit of the caller IP's authentication budget. */
export async function throttleIp(deps: AppDeps, meta: RequestMeta) {
  const d = await deps.limits.consume(`auth:ip:${meta.ip ?? 'unknown'}`, deps.config.auth.ipRatePerMinute, 60_000)
  if (!d.allowed) throw rateLimited(d)
}

const failureKey = (email: string) => `auth:fail:${email}`

/** Refuses when the account has used up its failed-login budget (whatever the password). */
export async function assertAccountNotLocked(deps: AppDeps, email: string) {
  const { loginFailuresPerAccount: limit, loginFailureWindow } = deps.config.auth
  const d = await deps.limits.peek(failureKey(email), limit, loginFailureWindow * 1000)
  if (d.remaining <= 0) throw rateLimited(d)
}

/** Counts a failed login against the account. */
export async function recordLoginFailure(deps: AppDeps, email: string) {
  const { loginFailuresPerAccount: limit, loginFailureWindow } = deps.config.auth
  await deps.limits.consume(failureKey(email), limit, loginFailureWindow * 1000)
}
