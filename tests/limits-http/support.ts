// Shared pieces of the HTTP/WebSocket limit suites.
import { randomUUID } from 'node:crypto'
import type { TestApp } from '../helpers/app.ts'

/** A client IP of this test's own (requests carry it in X-Forwarded-For; the app trusts one proxy hop). */
export const uniqueIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`

/** Headers for a request coming from `ip` through one trusted proxy. */
export const fromIp = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers })

export const rateHeaders = (h: Headers) => ({
  limit: h.get('x-ratelimit-limit'),
  remaining: h.get('x-ratelimit-remaining'),
  reset: h.get('x-ratelimit-reset'),
})

/** Fires `n` requests at once and returns their statuses. */
export async function burst(n: number, send: (i: number) => Promise<{ status: number }>) {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i).then((r) => r.status)))
}

export const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length

export const label = () => randomUUID().slice(0, 8)

/** A cheap authenticated query. */
export const viewerQuery = '{ viewer { principal { kind } } }'

export const gqlAs = (t: TestApp, headers: Record<string, string>, query = viewerQuery, variables?: Record<string, unknown>) => t.gql(query, variables, headers)
